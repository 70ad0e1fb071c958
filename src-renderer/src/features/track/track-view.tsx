// The focused track: waveform with taggram, tags grouped with confidences, and the review actions.
import { useMemo, type RefObject } from 'react';
import { markReviewed, setMusic, useReview } from '../../state/review-store';
import { actionTargets, useSelection } from '../../state/selection-store';
import { TrackFileTagsPanel } from '../file-tags/track-file-tags';
import { AddTag, type AddTagHandle } from './add-tag';
import { TagChips } from './tag-chips';
import { shownTags } from './tag-logic';
import { TaggramStrip } from './taggram-strip';
import { Waveform } from './waveform';

/** The right-hand pane. */
export function TrackView({ addTagRef, onReviewedNext }: { addTagRef: RefObject<AddTagHandle | null>; onReviewedNext: () => void }): React.JSX.Element {
  const detail = useReview((s) => s.detail);
  const saving = useReview((s) => s.saving);
  const selectedCount = useSelection((s) => s.selected.size);
  const tags = useMemo(() => (detail ? shownTags(detail) : []), [detail]);
  if (!detail) {
    return (
      <section className="track-pane" aria-label="Track">
        <p className="empty">
          Select a track to see its waveform and tags. Drop music files or folders anywhere on the window to add and
          tag them. Press <kbd>?</kbd> for the keyboard shortcuts.
        </p>
      </section>
    );
  }
  const { row, prediction } = detail;
  const reviewed = row.status === 'reviewed';
  return (
    <section className="track-pane" aria-label="Track" data-track-id={row.id}>
      <div>
        <h2 className="track-title">{row.title}</h2>
        <div className="track-sub">
          {[row.artist, row.album].filter(Boolean).join(' — ') || detail.files[0] || ''}
          {selectedCount > 1 && ` · actions apply to ${selectedCount} selected tracks`}
        </div>
      </div>
      {row.status === 'error' && <div className="error-text">{row.error}</div>}
      {detail.music?.verdict === 'not music' && (
        <div className="track-sub not-music" data-music={detail.music.override ? 'override' : 'not music'}>
          {detail.music.override
            ? 'Judged not music by the models; you marked it as music, so it is reviewed and uploaded. '
            : 'Not music: the models hear speech, silence or noise. It is left out of the review queue and uploads. '}
          <button onClick={() => void setMusic(actionTargets(), !detail.music!.override)}>
            {detail.music.override ? 'Follow the models' : 'It is music'}
          </button>
        </div>
      )}
      {row.durationSec !== null && detail.peaks.length > 0 ? (
        <Waveform trackId={row.id} peaks={detail.peaks} durationSec={row.durationSec}>
          {prediction && prediction.taggram.tags.length > 0 && (
            <TaggramStrip tags={prediction.taggram.tags} rows={prediction.taggram.rows} patchSec={prediction.patchSec} durationSec={row.durationSec} />
          )}
        </Waveform>
      ) : (
        <div className="waveform track-sub">{row.status === 'queued' || row.status === 'tagging' ? 'Waiting for tags…' : 'No waveform yet.'}</div>
      )}
      {prediction && (
        <div className="track-sub">
          {prediction.modelId} {prediction.modelVersion} on {prediction.provider.toUpperCase()}
        </div>
      )}
      <div className="review-bar">
        <AddTag ref={addTagRef} />
        <button className="primary" onClick={onReviewedNext} title="Mark reviewed and go to the next track (r)">
          {reviewed ? 'Reviewed ✓ · next' : 'Mark reviewed · next'}
        </button>
        {reviewed && (
          <button onClick={() => void markReviewed(actionTargets(), false)} title="Mark not reviewed (Shift+R)">
            Unmark
          </button>
        )}
        {saving && <span className="saving">saving…</span>}
      </div>
      {prediction ? <TagChips tags={tags} /> : <p className="track-sub">No prediction yet.</p>}
      <TrackFileTagsPanel trackId={row.id} />
    </section>
  );
}
