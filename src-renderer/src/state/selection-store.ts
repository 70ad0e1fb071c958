// Which tracks are selected and which one is focused (shown in the track view). The focused track
// is known by id; its index is where it was last seen in the current table order (null when it is
// not in the loaded rows), kept up to date by the navigation module.
import { create } from 'zustand';

interface SelectionState {
  readonly focusedIndex: number | null;
  readonly focusedId: number | null;
  readonly selected: ReadonlySet<number>;
  readonly anchorIndex: number | null;
  /** Bumped by every explicit move of the focus (click, keys); the table scrolls to follow it. */
  readonly focusSeq: number;
  /**
   * The track that followed the focused one when the focus moved there: "reviewed, next" goes on
   * to it even if corrections moved the focused track meanwhile (the review queue re-sorts).
   */
  readonly followerId: number | null;
}

export const useSelection = create<SelectionState>(() => ({
  focusedIndex: null,
  focusedId: null,
  selected: new Set(),
  anchorIndex: null,
  focusSeq: 0,
  followerId: null,
}));

/** Focuses one track and makes it the whole selection. */
export function focusTrack(index: number, id: number): void {
  useSelection.setState((s) => ({ focusedIndex: index, focusedId: id, selected: new Set([id]), anchorIndex: index, focusSeq: s.focusSeq + 1 }));
}

/** Ctrl/Cmd-click: adds or removes one track from the selection. */
export function toggleTrack(index: number, id: number): void {
  useSelection.setState((s) => {
    const selected = new Set(s.selected);
    if (selected.has(id)) selected.delete(id);
    else selected.add(id);
    return { selected, focusedIndex: index, focusedId: id, anchorIndex: index, focusSeq: s.focusSeq + 1 };
  });
}

/** Shift-click: selects from the anchor to this index, using the ids given for that span. */
export function selectRange(index: number, id: number, idsInSpan: readonly number[]): void {
  useSelection.setState((s) => ({ selected: new Set(idsInSpan), focusedIndex: index, focusedId: id, focusSeq: s.focusSeq + 1 }));
}

/** Selects the given ids (select all), keeping the focus. */
export function selectIds(ids: readonly number[]): void {
  useSelection.setState({ selected: new Set(ids) });
}

/** The ids an action applies to: the selection, or the focused track alone. */
export function actionTargets(): number[] {
  const { selected, focusedId } = useSelection.getState();
  if (selected.size > 0) return [...selected];
  return focusedId !== null ? [focusedId] : [];
}

/**
 * After the table's query or order changed: positions mean nothing any more, and tracks selected
 * before may now be hidden, so the selection narrows to the focused track (which stays shown).
 */
export function forgetPositions(): void {
  useSelection.setState((s) => ({
    focusedIndex: null,
    anchorIndex: null,
    selected: s.focusedId !== null ? new Set([s.focusedId]) : new Set<number>(),
  }));
}

/** The focused track was found at another index (rows moved); not a move, so no scrolling. */
export function relocateFocus(index: number | null): void {
  if (useSelection.getState().focusedIndex !== index) useSelection.setState({ focusedIndex: index });
}

/** Puts a saved selection back (after a reload); not a move, so the table keeps its own scroll. */
export function restoreSelection(focusedId: number | null, selected: readonly number[], focusedIndex: number | null): void {
  useSelection.setState({ focusedId, focusedIndex, selected: new Set(selected), anchorIndex: focusedIndex });
}

/** Notes which track follows the focused one (see followerId). */
export function noteFollower(id: number | null): void {
  if (useSelection.getState().followerId !== id) useSelection.setState({ followerId: id });
}

/** Clears everything; for tests. */
export function resetSelection(): void {
  useSelection.setState({ focusedIndex: null, focusedId: null, selected: new Set(), anchorIndex: null, focusSeq: 0, followerId: null });
}
