// Reads the corrections waiting for upload from the store. A track's label_rev grows with every
// change; the revision the dataset has is the highest one a finalized upload version holds (the
// upload ledger's tables, `upload_versions` and `upload_version_keys`), the one record of what went up.
import { existsSync } from 'node:fs';
import type { LabelState } from '../../src-preload/contract';
import { needsUpload, toCorrection, type CorrectionForUpload } from '../review/corrections';
import { blobFloat32 } from './blobs';
import type { Db } from './store';
import type { TrackSummaries } from './summary';

interface Candidate {
  id: number;
  hash: string;
  label_rev: number;
  uploaded_rev: number;
  title: string | null;
  artist: string | null;
  album: string | null;
  duration_sec: number | null;
  reviewed_at: string | null;
}

/**
 * Every track with corrections newer than what was uploaded, oldest track first. Tracks judged not
 * music stay out unless a person said they are music.
 */
export function pendingCorrections(db: Db, summaries: TrackSummaries): CorrectionForUpload[] {
  const candidates = db
    .prepare(
      `SELECT t.id, t.hash, t.label_rev, coalesce(u.rev, 0) AS uploaded_rev, t.title, t.artist, t.album, t.duration_sec, t.reviewed_at
       FROM tracks t LEFT JOIN (
         SELECT k.track_hash, MAX(k.label_rev) AS rev FROM upload_version_keys k
         JOIN upload_versions v ON v.dataset_id = k.dataset_id AND v.state = 'finalized'
         WHERE k.track_hash IS NOT NULL GROUP BY k.track_hash
       ) u ON u.track_hash = t.hash
       WHERE t.hash IS NOT NULL AND t.label_rev > 0 AND t.label_rev > coalesce(u.rev, 0)
         AND NOT (t.music_verdict IS 'not music' AND t.music_override = 0) ORDER BY t.id`,
    )
    .all() as Candidate[];
  const out: CorrectionForUpload[] = [];
  for (const c of candidates) {
    const labelRows = db.prepare('SELECT tag, state, learned_score FROM labels WHERE track_id = ?').all(c.id) as Array<{
      tag: string;
      state: LabelState;
      learned_score: number | null;
    }>;
    const labels = new Map(labelRows.map((l) => [l.tag, l.state]));
    const learnedScores = new Map(labelRows.flatMap((l) => (l.learned_score === null ? [] : [[l.tag, l.learned_score] as const])));
    const pending = needsUpload({
      labelRev: c.label_rev,
      uploadedRev: c.uploaded_rev,
      labelCount: labels.size,
      reviewed: c.reviewed_at !== null,
    });
    if (!pending) continue;
    const latest = summaries.latestPrediction(c.id);
    const embedding = latest
      ? (db.prepare('SELECT embedding FROM predictions WHERE id = ?').pluck().get(latest.id) as Buffer | null)
      : null;
    const paths = db.prepare('SELECT path FROM files WHERE track_id = ? ORDER BY id').pluck().all(c.id) as string[];
    out.push(
      toCorrection({
        trackHash: c.hash,
        labelRev: c.label_rev,
        artist: c.artist,
        album: c.album,
        title: c.title,
        durationSec: c.duration_sec,
        predicted: latest?.predicted ?? [],
        labels,
        modelId: latest?.model.id ?? null,
        modelVersion: latest?.model.version ?? null,
        reviewedAt: c.reviewed_at,
        embedding: embedding ? blobFloat32(embedding) : null,
        audioPath: paths.find((p) => existsSync(p)) ?? null,
        fromFile: new Set((db.prepare('SELECT tag FROM file_labels WHERE track_id = ?').pluck().all(c.id) as string[]).map((t) => t.toLocaleLowerCase('en'))),
        learnedScores,
      }),
    );
  }
  return out;
}
