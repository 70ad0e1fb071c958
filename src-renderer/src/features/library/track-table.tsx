// The library table: virtualized (only visible rows exist in the DOM), rows fetched by page as
// they scroll into view, the columns a person chose, and the focused row kept wholly in view when
// the keys move it. Its scroll position survives a reload of the window.
import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useLayoutEffect, useMemo, useRef } from 'react';
import { ensureRows, rowAt, useLibrary } from '../../state/library-store';
import { usePrefs } from '../../state/prefs-store';
import { useSelection } from '../../state/selection-store';
import { keepSession, restorePendingSelection, takePendingScroll } from '../../state/session-store';
import { gridTemplate, visibleColumns } from './columns';
import { EmptyLibrary } from './empty-library';
import { ROW_HEIGHT, rowVisible, scrollToShow } from './table-scroll';
import { TableHeader } from './table-header';
import { TableRow } from './table-row';

/** The virtualized library table (or what to do when the library is empty). */
export function TrackTable(): React.JSX.Element {
  const total = useLibrary((s) => s.total);
  const loading = useLibrary((s) => s.loading);
  const error = useLibrary((s) => s.error);
  const hasFirstPage = useLibrary((s) => s.pages.has(0));
  useLibrary((s) => s.pages);
  const prefs = usePrefs((s) => s.columns);
  const columns = useMemo(() => visibleColumns(prefs), [prefs]);
  const template = `${gridTemplate(prefs)} 24px`;
  const scroller = useRef<HTMLDivElement>(null);
  const header = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count: total,
    getScrollElement: () => scroller.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 12,
  });
  const items = virtualizer.getVirtualItems();
  const first = items[0]?.index ?? 0;
  const last = items.at(-1)?.index ?? 0;

  // A new query or order starts with no pages: load what is in view again.
  const generation = useLibrary((s) => s.generation);
  useEffect(() => {
    if (total > 0) ensureRows(first, last);
  }, [first, last, total, generation]);

  // After a reload: the selection once the first rows are in, then the scroll position.
  useLayoutEffect(() => {
    if (!hasFirstPage || !scroller.current) return;
    restorePendingSelection();
    const top = takePendingScroll();
    if (top !== null) scroller.current.scrollTop = top;
  }, [hasFirstPage]);
  useEffect(() => keepSession(() => scroller.current?.scrollTop ?? 0), []);

  // Keep the focused row wholly in view when the keyboard or a click moves it (not when rows merely move).
  const focusSeq = useSelection((s) => s.focusSeq);
  useLayoutEffect(() => {
    const { focusedIndex } = useSelection.getState();
    const el = scroller.current;
    if (focusedIndex === null || !el) return;
    const headerPx = header.current?.offsetHeight ?? 0;
    const next = scrollToShow(focusedIndex, el.scrollTop, el.clientHeight, headerPx);
    if (next !== null) el.scrollTop = next;
  }, [focusSeq]);

  // When corrections move the focused track (a re-sorting order), a row that was in view stays in view.
  const focusedIndex = useSelection((s) => s.focusedIndex);
  const lastIndex = useRef<{ index: number | null; seq: number }>({ index: null, seq: 0 });
  useLayoutEffect(() => {
    const before = lastIndex.current;
    lastIndex.current = { index: focusedIndex, seq: focusSeq };
    const el = scroller.current;
    if (!el || focusedIndex === null || before.index === null || before.seq !== focusSeq || before.index === focusedIndex) return;
    const headerPx = header.current?.offsetHeight ?? 0;
    if (!rowVisible(before.index, el.scrollTop, el.clientHeight, headerPx)) return;
    const next = scrollToShow(focusedIndex, el.scrollTop, el.clientHeight, headerPx);
    if (next !== null) el.scrollTop = next;
  }, [focusedIndex, focusSeq]);

  if (total === 0 && !loading && !error) return <EmptyLibrary />;
  return (
    <div className="track-table" ref={scroller} role="grid" aria-rowcount={total + 1} aria-label="Library" tabIndex={0} style={{ ['--columns' as string]: template }}>
      <div ref={header} className="table-head-wrap">
        <TableHeader columns={columns} />
        {error && (
          <div className="table-error" role="alert">
            Could not load the tracks: {error}. Trying again…
          </div>
        )}
      </div>
      <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
        {items.map((item) => (
          <TableRow key={item.key} index={item.index} start={item.start} row={rowAt(item.index)} columns={columns} />
        ))}
      </div>
    </div>
  );
}
