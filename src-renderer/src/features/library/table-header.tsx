// The table's header: a sort button per sortable column, a handle on each column's edge to drag
// its width (double-click gives the default back), and the column chooser at the end.
import { useRef } from 'react';
import type { SortKey } from '../../../../src-preload/contract';
import { setQuery, useLibrary } from '../../state/library-store';
import { setColumns } from '../../state/prefs-store';
import { resizeColumn, type ColumnDef } from './columns';
import { ColumnMenu } from './column-menu';

function ResizeHandle({ column }: { column: ColumnDef }): React.JSX.Element {
  const drag = useRef<{ startX: number; startWidth: number } | null>(null);
  return (
    <span
      className="col-resize"
      role="separator"
      aria-orientation="vertical"
      aria-label={`Width of ${column.label}`}
      title="Drag to resize; double-click for the default width"
      onPointerDown={(e) => {
        e.preventDefault();
        e.stopPropagation();
        const cell = (e.currentTarget.parentElement as HTMLElement).getBoundingClientRect();
        drag.current = { startX: e.clientX, startWidth: cell.width };
        e.currentTarget.setPointerCapture(e.pointerId);
      }}
      onPointerMove={(e) => {
        if (!drag.current) return;
        const width = drag.current.startWidth + e.clientX - drag.current.startX;
        setColumns((p) => resizeColumn(p, column.id, width));
      }}
      onPointerUp={() => (drag.current = null)}
      onClick={(e) => e.stopPropagation()}
      onDoubleClick={(e) => {
        e.stopPropagation();
        setColumns((p) => resizeColumn(p, column.id, null));
      }}
    />
  );
}

/** The header row. */
export function TableHeader({ columns }: { columns: readonly ColumnDef[] }): React.JSX.Element {
  const query = useLibrary((s) => s.query);
  const mode = useLibrary((s) => s.mode);
  const sortBy = (key: SortKey): void => {
    if (query.sort === key) setQuery({ descending: !query.descending });
    else setQuery({ sort: key, descending: false });
  };
  return (
    <div className="table-head" role="row">
      {columns.map((c) => (
        <span key={c.id} className="head-cell" role="columnheader" data-col={c.id}>
          {c.sort && mode === 'library' ? (
            <button onClick={() => sortBy(c.sort!)} aria-sort={query.sort === c.sort ? (query.descending ? 'descending' : 'ascending') : undefined}>
              {c.label}
            </button>
          ) : (
            <span title={c.sort ? 'The review queue is ordered by how unsure the model is' : undefined}>{c.label}</span>
          )}
          <ResizeHandle column={c} />
        </span>
      ))}
      <ColumnMenu />
    </div>
  );
}
