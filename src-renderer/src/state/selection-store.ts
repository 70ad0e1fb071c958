// Which tracks are selected and which one is focused (shown in the track view). Indexes are
// positions in the current table order.
import { create } from 'zustand';

interface SelectionState {
  readonly focusedIndex: number | null;
  readonly focusedId: number | null;
  readonly selected: ReadonlySet<number>;
  readonly anchorIndex: number | null;
}

export const useSelection = create<SelectionState>(() => ({
  focusedIndex: null,
  focusedId: null,
  selected: new Set(),
  anchorIndex: null,
}));

/** Focuses one track and makes it the whole selection. */
export function focusTrack(index: number, id: number): void {
  useSelection.setState({ focusedIndex: index, focusedId: id, selected: new Set([id]), anchorIndex: index });
}

/** Ctrl/Cmd-click: adds or removes one track from the selection. */
export function toggleTrack(index: number, id: number): void {
  useSelection.setState((s) => {
    const selected = new Set(s.selected);
    if (selected.has(id)) selected.delete(id);
    else selected.add(id);
    return { selected, focusedIndex: index, focusedId: id, anchorIndex: index };
  });
}

/** Shift-click: selects from the anchor to this index, using the ids given for that span. */
export function selectRange(index: number, id: number, idsInSpan: readonly number[]): void {
  useSelection.setState({ selected: new Set(idsInSpan), focusedIndex: index, focusedId: id });
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

/** Clears everything; after a query change and in tests. */
export function resetSelection(): void {
  useSelection.setState({ focusedIndex: null, focusedId: null, selected: new Set(), anchorIndex: null });
}
