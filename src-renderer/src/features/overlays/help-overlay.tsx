// The keyboard help, opened with "?".
import { Dialog } from './dialog';

export const SHORTCUTS: ReadonlyArray<readonly [string, string]> = [
  ['j / ↓', 'next track'],
  ['k / ↑', 'previous track'],
  ['1 … 9', 'toggle the numbered tag of the track (or the selection); numbers stay with their tags while the track is shown'],
  ['t', 'add a tag (type, ↑/↓ to pick, Enter to add)'],
  ['r', 'mark reviewed and go to the next track'],
  ['Shift + R', 'mark not reviewed'],
  ['Space', 'play / pause'],
  ['← / →', 'seek 5 s back / forward'],
  ['Ctrl + Z', 'undo (the track it changes comes into view)'],
  ['Ctrl + Shift + Z / Ctrl + Y', 'redo'],
  ['Ctrl + A', 'select every track in the table'],
  ['/', 'search'],
  ['q', 'switch between library order and the review queue'],
  ['m', 'more like this: the tracks that sound nearest the shown one'],
  ['Shift + L', 'learned tags: what eno learned from your own tags, and how well'],
  ['?', 'this help'],
  ['Esc', 'close a dialog; leave a field (the search keeps its text)'],
  ['← / → on the divider', 'make the table narrower / wider'],
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
      <p className="track-sub">
        Click, Ctrl-click or Shift-click rows to select several tracks: the track view then shows the tags they share, and tag actions and keys
        apply to all of them.
      </p>
      <button onClick={onClose} autoFocus>
        Close
      </button>
    </Dialog>
  );
}
