// The frame every modal panel shares: a dimmed window behind, a click outside closes it (Escape
// closes it through the window-wide shortcuts), and a title.
import type { ReactNode } from 'react';

/** A modal dialog named `label` for assistive technology, headed by `title`. */
export function Dialog({ label, title, onClose, children }: { label: string; title: string; onClose: () => void; children: ReactNode }): React.JSX.Element {
  return (
    <div className="overlay" onClick={onClose}>
      <div className="dialog" role="dialog" aria-modal="true" aria-label={label} onClick={(e) => e.stopPropagation()}>
        <h2>{title}</h2>
        {children}
      </div>
    </div>
  );
}
