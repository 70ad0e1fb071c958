// Moving through the table from the keyboard and after a review.
import { loadPage, PAGE_SIZE, refreshLoaded, rowAt, useLibrary } from './library-store';
import { focusTrack, useSelection } from './selection-store';

/** Focuses the track at a table index, loading its page if needed. */
export async function goTo(index: number): Promise<void> {
  const { total } = useLibrary.getState();
  if (total === 0) return;
  const target = Math.max(0, Math.min(total - 1, index));
  let row = rowAt(target);
  if (!row) {
    await loadPage(Math.floor(target / PAGE_SIZE));
    row = rowAt(target);
  }
  if (row) focusTrack(target, row.id);
}

/** Next (+1) or previous (-1) track. */
export function step(delta: number): Promise<void> {
  const { focusedIndex } = useSelection.getState();
  return goTo(focusedIndex === null ? 0 : focusedIndex + delta);
}

/**
 * After a track was marked reviewed: the review queue drops it, so the next one moves into its
 * place; in library order the next one is simply below.
 */
export async function advanceAfterReview(): Promise<void> {
  const { focusedIndex } = useSelection.getState();
  if (focusedIndex === null) return goTo(0);
  if (useLibrary.getState().mode === 'review') {
    refreshLoaded();
    await loadPage(Math.floor(focusedIndex / PAGE_SIZE));
    return goTo(focusedIndex);
  }
  return goTo(focusedIndex + 1);
}
