// The handle between the table and the track view: drag it, or focus it and use the arrow keys.
// The split is kept in the preferences.
import { useRef } from 'react';
import { setSplit, usePrefs, DEFAULT_SPLIT } from '../../state/prefs-store';

/** A vertical separator that sets the table's share of `container`'s width. */
export function Splitter({ container }: { container: React.RefObject<HTMLElement | null> }): React.JSX.Element {
  const fraction = usePrefs((s) => s.splitFraction);
  const dragging = useRef(false);
  const fractionAt = (clientX: number): number | null => {
    const box = container.current?.getBoundingClientRect();
    return box && box.width > 0 ? (clientX - box.left) / box.width : null;
  };
  return (
    <div
      className="splitter"
      role="separator"
      aria-orientation="vertical"
      aria-label="Width of the table and the track view"
      aria-valuemin={20}
      aria-valuemax={80}
      aria-valuenow={Math.round(fraction * 100)}
      tabIndex={0}
      title="Drag to resize; double-click to reset"
      onPointerDown={(e) => {
        dragging.current = true;
        e.currentTarget.setPointerCapture(e.pointerId);
        e.preventDefault();
      }}
      onPointerMove={(e) => {
        if (!dragging.current) return;
        const f = fractionAt(e.clientX);
        if (f !== null) setSplit(f);
      }}
      onPointerUp={() => (dragging.current = false)}
      onDoubleClick={() => setSplit(DEFAULT_SPLIT)}
      onKeyDown={(e) => {
        if (e.key === 'ArrowLeft' || e.key === 'ArrowRight') {
          // Not the seek keys while the handle has the focus.
          e.preventDefault();
          e.stopPropagation();
          setSplit(fraction + (e.key === 'ArrowLeft' ? -0.02 : 0.02));
        }
      }}
    />
  );
}
