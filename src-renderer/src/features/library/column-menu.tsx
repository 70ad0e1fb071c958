// Choosing the table's columns: show or hide each, move it earlier or later, reset everything.
import { useEffect, useRef, useState } from 'react';
import { setColumns, usePrefs } from '../../state/prefs-store';
import { COLUMNS, DEFAULT_COLUMN_PREFS, moveColumn, toggleColumn, visibleColumns } from './columns';

/** The "Columns" button at the end of the header and its menu. */
export function ColumnMenu(): React.JSX.Element {
  const [open, setOpen] = useState(false);
  const prefs = usePrefs((s) => s.columns);
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!open) return;
    const close = (e: MouseEvent): void => {
      if (!box.current?.contains(e.target as Node)) setOpen(false);
    };
    const onKey = (e: KeyboardEvent): void => {
      if (e.key === 'Escape') setOpen(false);
    };
    window.addEventListener('mousedown', close);
    window.addEventListener('keydown', onKey);
    return () => {
      window.removeEventListener('mousedown', close);
      window.removeEventListener('keydown', onKey);
    };
  }, [open]);
  const shown = visibleColumns(prefs).map((c) => c.id);
  return (
    <div className="column-menu" ref={box}>
      <button className="icon" aria-label="Columns" aria-expanded={open} title="Choose, order and reset columns" onClick={() => setOpen((o) => !o)}>
        ⋯
      </button>
      {open && (
        <div className="menu" role="menu" aria-label="Columns">
          {prefs.order.map((id) => {
            const visible = shown.includes(id);
            const at = shown.indexOf(id);
            return (
              <div key={id} className="menu-row" role="menuitemcheckbox" aria-checked={visible}>
                <label>
                  <input type="checkbox" checked={visible} disabled={id === 'title'} onChange={() => setColumns((p) => toggleColumn(p, id))} /> {COLUMNS[id].label}
                </label>
                <button className="icon" disabled={!visible || at === 0} aria-label={`Move ${COLUMNS[id].label} left`} onClick={() => setColumns((p) => moveColumn(p, id, -1))}>
                  ↑
                </button>
                <button className="icon" disabled={!visible || at === shown.length - 1} aria-label={`Move ${COLUMNS[id].label} right`} onClick={() => setColumns((p) => moveColumn(p, id, 1))}>
                  ↓
                </button>
              </div>
            );
          })}
          <button className="menu-reset" onClick={() => setColumns(() => DEFAULT_COLUMN_PREFS)}>
            Default columns and widths
          </button>
        </div>
      )}
    </div>
  );
}
