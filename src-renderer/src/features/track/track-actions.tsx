// The review actions under the player: add a tag, mark reviewed and go on, take the mark back.
// Other actions on the shown track (writing tags into the file) sit in the same row.
import type { ReactNode, RefObject } from 'react';
import { markReviewed, useReview } from '../../state/review-store';
import { actionTargets, useSelection } from '../../state/selection-store';
import { AddTag, type AddTagHandle } from './add-tag';

/** The action row; `children` are further actions on the shown track. */
export function TrackActions({
  reviewed,
  addTagRef,
  onReviewedNext,
  children,
}: {
  reviewed: boolean;
  addTagRef: RefObject<AddTagHandle | null>;
  onReviewedNext: () => void;
  children?: ReactNode;
}): React.JSX.Element {
  const saving = useReview((s) => s.saving);
  const selected = useSelection((s) => s.selected.size);
  const many = selected > 1 ? ` (${selected} tracks)` : '';
  return (
    <div className="review-bar">
      <AddTag ref={addTagRef} />
      <button className="primary" onClick={onReviewedNext} title="Mark reviewed and go to the next track (r)">
        {reviewed && selected <= 1 ? 'Reviewed ✓ · next' : `Mark reviewed${many} · next`}
      </button>
      {reviewed && (
        <button onClick={() => void markReviewed(actionTargets(), false)} title="Mark not reviewed (Shift+R)">
          Unmark
        </button>
      )}
      {children}
      <span className="saving" aria-live="polite">
        {saving ? 'saving…' : ''}
      </span>
    </div>
  );
}
