// The keyboard help, opened with "?".
import { Dialog } from './dialog';

export const SHORTCUTS: ReadonlyArray<readonly [string, string]> = [
  ['j / ↓', 'next track'],
  ['k / ↑', 'previous track'],
  ['1 … 9', 'toggle the numbered tag of the track (or the selection)'],
  ['t', 'add a tag (type, ↑/↓ to pick, Enter to add)'],
  ['r', 'mark reviewed and go to the next track'],
  ['Shift + R', 'mark not reviewed'],
  ['Space', 'play / pause'],
  ['← / →', 'seek 5 s back / forward'],
  ['Ctrl + Z', 'undo'],
  ['Ctrl + Shift + Z / Ctrl + Y', 'redo'],
  ['Ctrl + A', 'select every track in the table'],
  ['/', 'search'],
  ['q', 'switch between library order and the review queue'],
  ['?', 'this help'],
  ['Esc', 'close, leave a field'],
];

/** The help dialog. */
export function HelpOverlay({ onClose }: { onClose: () => void }): React.JSX.Element {
  return (
    <Dialog label="Keyboard shortcuts" title="Keyboard shortcuts" onClose={onClose}>
      <div className="shortcuts">
        {SHORTCUTS.map(([keys, what]) => (
          <div key={keys} style={{ display: 'contents' }}>
            <span>
              <kbd>{keys}</kbd>
            </span>
            <span>{what}</span>
          </div>
        ))}
      </div>
      <p className="track-sub">Click or Shift-click rows to select several tracks; tag actions then apply to all of them.</p>
      <button onClick={onClose} autoFocus>
        Close
      </button>
    </Dialog>
  );
}
