// The library table: virtualized (only visible rows exist in the DOM), rows fetched by page as
// they scroll into view, click / Ctrl-click / Shift-click selection, sortable columns.
import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useRef } from 'react';
import type { SortKey, TrackRow } from '../../../../src-preload/contract';
import { call } from '../../api/api';
import { effectiveQuery, ensureRows, rowAt, setQuery, useLibrary } from '../../state/library-store';
import { focusTrack, selectRange, toggleTrack, useSelection } from '../../state/selection-store';

const ROW_HEIGHT = 32;

const COLUMNS: Array<{ label: string; sort: SortKey | null }> = [
  { label: 'Title', sort: 'title' },
  { label: 'Artist', sort: 'artist' },
  { label: 'Album', sort: 'album' },
  { label: 'Length', sort: 'duration' },
  { label: 'Genres', sort: null },
  { label: 'Descriptors', sort: null },
  { label: 'Status', sort: 'status' },
];

function length(sec: number | null): string {
  if (sec === null) return '';
  const s = Math.round(sec);
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}

function Row({ row, index, start }: { row: TrackRow | undefined; index: number; start: number }): React.JSX.Element {
  const selected = useSelection((s) => (row ? s.selected.has(row.id) : false));
  const focused = useSelection((s) => row !== undefined && s.focusedId === row.id);
  const style = { position: 'absolute' as const, top: 0, left: 0, right: 0, transform: `translateY(${start}px)` };
  if (!row) {
    return (
      <div className="table-row placeholder-row" style={style} aria-rowindex={index + 2}>
        <span>…</span>
      </div>
    );
  }
  const onClick = async (e: React.MouseEvent): Promise<void> => {
    if (e.metaKey || e.ctrlKey) return toggleTrack(index, row.id);
    const { anchorIndex: anchor, focusSeq } = useSelection.getState();
    if (e.shiftKey && anchor !== null) {
      const { generation } = useLibrary.getState();
      const ids = await call('trackIds', effectiveQuery());
      // Dropped when the focus moved or the table changed meanwhile.
      if (useSelection.getState().focusSeq !== focusSeq || useLibrary.getState().generation !== generation) return;
      const [a, b] = anchor < index ? [anchor, index] : [index, anchor];
      return selectRange(index, row.id, ids.slice(a, b + 1));
    }
    focusTrack(index, row.id);
  };
  return (
    <div
      className={`table-row${focused ? ' focused' : ''}`}
      style={style}
      role="row"
      aria-rowindex={index + 2}
      aria-selected={selected}
      data-track-id={row.id}
      onClick={(e) => void onClick(e)}
    >
      <span title={row.path ?? undefined}>{row.title}</span>
      <span>{row.artist ?? ''}</span>
      <span>{row.album ?? ''}</span>
      <span>{length(row.durationSec)}</span>
      {row.status === 'error' ? (
        <span className="error-text" style={{ gridColumn: 'span 2' }} title={row.error ?? undefined}>
          {row.error}
        </span>
      ) : (
        <>
          <span className="mini-tags">{row.genres.map((t) => t.tag).join(', ')}</span>
          <span className="mini-tags">
            {row.descriptors.map((t) => t.tag).join(', ')}
            {row.others.length > 0 && <i className="other-tags">{`${row.descriptors.length > 0 ? ' · ' : ''}${row.others.map((t) => t.tag).join(', ')}`}</i>}
          </span>
        </>
      )}
      <span>
        <span className={`status ${row.status}`}>{row.needsReview && row.status !== 'reviewed' ? 'check' : row.status}</span>
      </span>
    </div>
  );
}

/** The virtualized library table. */
export function TrackTable(): React.JSX.Element {
  const total = useLibrary((s) => s.total);
  const query = useLibrary((s) => s.query);
  const mode = useLibrary((s) => s.mode);
  useLibrary((s) => s.pages);
  const scroller = useRef<HTMLDivElement>(null);
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

  // Keep the focused row in view when the keyboard moves it (not when rows merely move).
  const focusSeq = useSelection((s) => s.focusSeq);
  useEffect(() => {
    const { focusedIndex } = useSelection.getState();
    if (focusedIndex !== null) virtualizer.scrollToIndex(focusedIndex, { align: 'auto' });
  }, [focusSeq, virtualizer]);

  const sortBy = (key: SortKey): void => {
    if (query.sort === key) setQuery({ descending: !query.descending });
    else setQuery({ sort: key, descending: false });
  };
  return (
    <div className="track-table" ref={scroller} role="grid" aria-rowcount={total + 1} aria-label="Library" tabIndex={0}>
      <div className="table-head" role="row">
        {COLUMNS.map((c) =>
          c.sort && mode === 'library' ? (
            <button
              key={c.label}
              onClick={() => sortBy(c.sort!)}
              aria-sort={query.sort === c.sort ? (query.descending ? 'descending' : 'ascending') : undefined}
            >
              {c.label}
            </button>
          ) : (
            <span key={c.label}>{c.label}</span>
          ),
        )}
      </div>
      <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
        {items.map((item) => (
          <Row key={item.key} index={item.index} start={item.start} row={rowAt(item.index)} />
        ))}
      </div>
    </div>
  );
}
