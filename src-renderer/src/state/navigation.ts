// Moving through the table from the keyboard and after a review. The focus belongs to a track, not
// to a row position: when rows move (tags arrive, the review queue reorders, another sort) the
// focus follows its track, and a review advances to the track that came after the reviewed one
// when the reviewer got to it.
import type { TrackRow } from '../../../src-preload/contract';
import { indexOfTrack, loadPage, PAGE_SIZE, refreshLoaded, rowAt, useLibrary } from './library-store';
import { focusTrack, forgetPositions, noteFollower, relocateFocus, useSelection } from './selection-store';

useLibrary.subscribe((state, previous) => {
  if (state.generation !== previous.generation) {
    forgetPositions();
  } else if (state.pages !== previous.pages) {
    const { focusedId } = useSelection.getState();
    const at = focusedId === null ? null : indexOfTrack(focusedId);
    // Not in the loaded rows: keep where it was last seen, so j and k go on from there.
    if (at !== null) relocateFocus(at);
  }
});

// Each explicit move notes the track after the new focus (unknown when its page is not loaded).
useSelection.subscribe((state, previous) => {
  if (state.focusSeq === previous.focusSeq) return;
  noteFollower(state.focusedIndex === null ? null : (rowAt(state.focusedIndex + 1)?.id ?? null));
});

/** The row at a table index, loading its page if needed. */
async function rowLoaded(index: number): Promise<TrackRow | undefined> {
  const row = rowAt(index);
  if (row) return row;
  await loadPage(Math.floor(index / PAGE_SIZE));
  return rowAt(index);
}

/** Where the focused track is: where it is seen in the loaded rows, else where it was last seen. */
function focusedPosition(): number | null {
  const { focusedId, focusedIndex } = useSelection.getState();
  if (focusedId === null) return null;
  return indexOfTrack(focusedId) ?? focusedIndex;
}

/** Focuses the track at a table index, loading its page if needed. */
export async function goTo(index: number): Promise<void> {
  const { total } = useLibrary.getState();
  if (total === 0) return;
  const target = Math.max(0, Math.min(total - 1, index));
  const row = await rowLoaded(target);
  if (row) focusTrack(target, row.id);
}

/** Next (+1) or previous (-1) track; the first one when nothing is focused where the table shows. */
export function step(delta: number): Promise<void> {
  const at = focusedPosition();
  return goTo(at === null ? 0 : at + delta);
}

/**
 * Runs `mark` (marking the focused or selected tracks reviewed), then focuses the track that came
 * after the focused one. Reviewing may take tracks out of the table (the review queue, a status
 * filter), so that track is chosen before and looked up again once the rows are refreshed.
 */
export async function reviewAndAdvance(mark: () => Promise<boolean>): Promise<void> {
  const { focusedId: reviewedId, followerId } = useSelection.getState();
  const at = focusedPosition();
  // The track that followed when the focus came here, if still in the table: corrections since
  // may have moved the reviewed track (the review queue re-sorts), not what comes next.
  const follower = followerId === null ? null : indexOfTrack(followerId);
  const next = follower !== null ? rowAt(follower) : at === null ? undefined : await rowLoaded(at + 1);
  if (!(await mark())) return;
  await refreshLoaded();
  const nextAt = next ? indexOfTrack(next.id) : null;
  if (next && nextAt !== null) return focusTrack(nextAt, next.id);
  if (at === null) return goTo(0);
  // The next row was not loaded: below the reviewed track if it stayed, else in its place.
  const stayed = reviewedId !== null && indexOfTrack(reviewedId) === at;
  return goTo(stayed ? at + 1 : at);
}
