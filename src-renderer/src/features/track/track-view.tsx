// The right-hand pane, built from small sections, each with one job: the track's header, what a
// multiple selection shares, whether it is music, the player (waveform and taggram), the actions,
// the tags with their legend (learned suggestions among them), and the tracks that sound alike.
import { useMemo, useState, type RefObject } from 'react';
import type { TrackDetail } from '../../../../src-preload/contract';
import { setMusic, useReview } from '../../state/review-store';
import { actionTargets } from '../../state/selection-store';
import { useTagLayout } from '../../state/tag-layout-store';
import { TrackFileTagsPanel } from '../file-tags/track-file-tags';
import { SimilarSection } from '../learning/similar-section';
import type { AddTagHandle } from './add-tag';
import { SelectionSummary } from './selection-summary';
import { ChipLegend, TagChips } from './tag-chips';
import { TaggramLegend, TaggramStrip } from './taggram-strip';
import { TrackActions } from './track-actions';
import { TrackHeader } from './track-header';
import { Waveform } from './waveform';

/** For a track the models judged not music: why it is left out, and the person's say. */
function MusicVerdict({ detail }: { detail: TrackDetail }): React.JSX.Element | null {
  const music = detail.music;
  if (music?.verdict !== 'not music') return null;
  return (
    <div className="track-sub not-music" data-music={music.override ? 'override' : 'not music'}>
      {music.override
        ? 'Judged not music by the models; you marked it as music, so it is reviewed and uploaded. '
        : 'Not music: the models hear speech, silence or noise. It is left out of the review queue and uploads. '}
      <button onClick={() => void setMusic(actionTargets(), !music.override)}>{music.override ? 'Follow the models' : 'It is music'}</button>
    </div>
  );
}

/** Waveform with the taggram under it, or why there is none yet. */
function PlayerPanel({ detail }: { detail: TrackDetail }): React.JSX.Element {
  const { row, prediction } = detail;
  const [pointed, setPointed] = useState<string | null>(null);
  const thresholds = useMemo(() => new Map((prediction?.tags ?? []).map((t) => [t.tag, t.threshold])), [prediction]);
  if (row.durationSec === null || detail.peaks.length === 0) {
    return <div className="waveform track-sub">{row.status === 'queued' || row.status === 'tagging' ? 'Waiting for tags…' : 'No waveform yet.'}</div>;
  }
  const taggram = prediction && prediction.taggram.tags.length > 0;
  return (
    <Waveform
      trackId={row.id}
      peaks={detail.peaks}
      durationSec={row.durationSec}
      controls={
        taggram && (
          <>
            <span className="taggram-readout" data-testid="taggram-readout" aria-live="polite">
              {pointed ?? 'Point at a cell for its score; click to play from there'}
            </span>
            <TaggramLegend />
          </>
        )
      }
    >
      {taggram && (
        <TaggramStrip
          tags={prediction.taggram.tags}
          rows={prediction.taggram.rows}
          patchSec={prediction.patchSec}
          durationSec={row.durationSec}
          thresholds={thresholds}
          onPoint={setPointed}
        />
      )}
    </Waveform>
  );
}

/** The tags of the shown track, numbered as laid out when it came on screen. */
function TagsSection({ detail }: { detail: TrackDetail }): React.JSX.Element {
  const tags = useTagLayout((s) => s.tags);
  const layout = useTagLayout((s) => s.layout);
  if (!detail.prediction && tags.length === 0) return <p className="track-sub">No prediction yet.</p>;
  return (
    <section className="tags-section" aria-label="Tags">
      <TagChips tags={tags} numbers={layout?.trackId === detail.row.id ? layout.numbers : new Map()} />
      <ChipLegend />
      {detail.prediction && (
        <div className="track-sub model-line">
          {detail.prediction.modelId} {detail.prediction.modelVersion} on {detail.prediction.provider.toUpperCase()}
        </div>
      )}
    </section>
  );
}

/** The right-hand pane. */
export function TrackView({ addTagRef, onReviewedNext }: { addTagRef: RefObject<AddTagHandle | null>; onReviewedNext: () => void }): React.JSX.Element {
  const detail = useReview((s) => s.detail);
  if (!detail) {
    return (
      <section className="track-pane" aria-label="Track">
        <SelectionSummary />
        <p className="empty">
          Select a track to see its waveform and tags: click a row, or press <kbd>j</kbd>. Press <kbd>?</kbd> for the keyboard shortcuts.
        </p>
      </section>
    );
  }
  const { row } = detail;
  return (
    <section className="track-pane" aria-label="Track" data-track-id={row.id}>
      <TrackHeader detail={detail} />
      <SelectionSummary />
      {row.status === 'error' && <div className="error-text">{row.error}</div>}
      <MusicVerdict detail={detail} />
      <PlayerPanel detail={detail} />
      <TrackActions reviewed={row.status === 'reviewed'} addTagRef={addTagRef} onReviewedNext={onReviewedNext} />
      <TagsSection detail={detail} />
      <SimilarSection trackId={row.id} />
      <TrackFileTagsPanel trackId={row.id} />
    </section>
  );
}
