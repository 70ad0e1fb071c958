// Everything the track view shows: the row, its files, the waveform peaks, the prediction of the model
// set with every tag best first (each naming its model) and a taggram of the first model's best
// tags, the labels, the final tags and whether the track is music.
import type { LabelState, TrackDetail, TrackLabel } from '../../src-preload/contract';
import { suggestionsFor } from '../learning/learned-queries';
import { finalTags } from '../review/final-tags';
import { blobFloat32, blobPeaks } from './blobs';
import type { Db } from './store';
import { unionOfPredictions, type TrackSummaries } from './summary';
import { modelIdOf, trackRows } from './track-query';

/** Tags drawn in the taggram: enough to see how the best few evolve over the track. */
export const TAGGRAM_TAGS = 8;

const round4 = (x: number): number => Math.round(x * 1e4) / 1e4;

/** The detail of one track, or null when there is no such track. */
export function trackDetail(db: Db, summaries: TrackSummaries, id: number): TrackDetail | null {
  const [row] = trackRows(db, [id]);
  const track = db.prepare('SELECT peaks, reviewed_at, music_verdict, music_override FROM tracks WHERE id = ?').get(id) as
    | { peaks: Buffer | null; reviewed_at: string | null; music_verdict: 'music' | 'not music' | null; music_override: number }
    | undefined;
  if (!row || !track) return null;
  const files = db.prepare('SELECT path FROM files WHERE track_id = ? ORDER BY id').pluck().all(id) as string[];
  const labelRows = db.prepare('SELECT tag, state, updated_at FROM labels WHERE track_id = ? ORDER BY tag').all(id) as Array<{
    tag: string;
    state: LabelState;
    updated_at: string;
  }>;
  const labels: TrackLabel[] = labelRows.map((l) => ({ tag: l.tag, state: l.state, updatedAt: l.updated_at }));
  const set = summaries.setPredictions(id);
  const latest = set[0];
  const predicted = unionOfPredictions(set);
  let prediction: TrackDetail['prediction'] = null;
  if (latest) {
    const ranked = latest.predicted
      .map((p, column) => ({ ...p, column }))
      .sort((a, b) => b.score - a.score);
    const everyTag = [...predicted].sort((a, b) => b.score - a.score);
    const taggram = db.prepare('SELECT taggram FROM predictions WHERE id = ?').pluck().get(latest.id) as Buffer;
    const values = blobFloat32(taggram);
    const nTags = latest.predicted.length;
    const best = ranked.slice(0, TAGGRAM_TAGS);
    prediction = {
      modelId: latest.model.id,
      modelVersion: latest.model.version,
      provider: latest.provider,
      createdAt: latest.createdAt,
      patchSec: latest.model.patchSec,
      // Scores as stored, not rounded: the window decides "predicted" with them, as the core does.
      tags: everyTag.map((p) => ({
        tag: p.tag,
        category: p.category,
        score: p.score,
        threshold: p.threshold,
        ...(p.model ? { model: modelIdOf(p.model) } : {}),
      })),
      taggram: {
        tags: best.map((p) => p.tag),
        rows: best.map((p) => Array.from({ length: latest.patches }, (_, patch) => round4(values[patch * nTags + p.column] ?? 0))),
      },
    };
  }
  return {
    row,
    files,
    peaks: blobPeaks(track.peaks),
    prediction,
    labels,
    finalTags: finalTags(predicted, new Map(labels.map((l) => [l.tag, l.state]))).map((t) => t.tag),
    reviewedAt: track.reviewed_at,
    learned: suggestionsFor(db, id),
    music: { verdict: track.music_verdict, override: track.music_override === 1 },
  };
}
