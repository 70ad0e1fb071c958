// The top bar's entry to writing tags into files: opens the dialog, and shows a running write's
// progress so it stays visible while the person reviews.
import { useEffect } from 'react';
import { followFileTags, useFileTags } from './file-tags-store';
import './file-tags.css';

/** The "Write tags" button. */
export function FileTagsButton({ onOpen }: { onOpen: () => void }): React.JSX.Element {
  useEffect(followFileTags, []);
  const status = useFileTags((s) => s.status);
  const active = status && status.state !== 'idle';
  return (
    <button className="file-tags-button" onClick={onOpen} title="Write tags into the music files" data-testid="write-tags-button">
      {active ? `${status.kind === 'undo' ? 'Undoing' : 'Writing'} ${status.done}/${status.total}${status.state === 'paused' ? ' (paused)' : ''}` : 'Write tags'}
    </button>
  );
}
