// What the table shows when it has no rows: for an empty library, the three ways to bring music
// in; for a search or filter that matches nothing, a way back.
import { useEffect, useState } from 'react';
import { call, getTransport } from '../../api/api';
import { DEFAULT_QUERY, setMode, setQuery, useLibrary } from '../../state/library-store';
import { openPanel } from '../../state/panel-store';
import { chooseAndAddFolder } from '../top-bar/add-folder';
import { FolderField } from './folder-field';

function useDataDir(): string | null {
  const [dir, setDir] = useState<string | null>(null);
  useEffect(() => {
    call('appInfo', undefined)
      .then((info) => setDir(info.dataDir))
      .catch(() => setDir(null));
  }, []);
  return dir;
}

/** The first screen of an empty library. */
function Welcome(): React.JSX.Element {
  const dataDir = useDataDir();
  const picker = getTransport().chooseFolder !== null;
  return (
    <div className="empty-library" data-testid="empty-library">
      <h2>Your library is empty</h2>
      <ol>
        <li>
          <strong>Add a folder of music.</strong> eno scans it, watches it for changes, and tags every track.
          <div className="empty-action">{picker ? <button className="primary" onClick={() => void chooseAndAddFolder()}>Add folder…</button> : <FolderField />}</div>
        </li>
        <li>
          <strong>Or drop music files or folders</strong> anywhere on this window: they are tagged before anything else.
        </li>
        <li>
          <strong>Or tag from a terminal</strong> and see the results here:
          <pre>eno tag ~/Music{dataDir ? ` --data-dir "${dataDir}"` : ''}</pre>
        </li>
      </ol>
      <p className="track-sub">
        Then review with the keyboard: <kbd>j</kbd>/<kbd>k</kbd> to move, <kbd>1</kbd>…<kbd>9</kbd> to toggle tags, <kbd>r</kbd> when a track is right. <kbd>?</kbd> lists every key.
      </p>
    </div>
  );
}

/** Nothing matches the search and filters. */
function NoMatch(): React.JSX.Element {
  const mode = useLibrary((s) => s.mode);
  return (
    <div className="empty-library" data-testid="no-match">
      <h2>{mode === 'review' ? 'Nothing waiting for review' : 'No track matches'}</h2>
      <p>{mode === 'review' ? 'Every tagged track here has been reviewed.' : 'Nothing in the library matches the search and filters.'}</p>
      <button
        onClick={() => {
          if (mode === 'review') setMode('library');
          else setQuery({ ...DEFAULT_QUERY, sort: useLibrary.getState().query.sort, descending: useLibrary.getState().query.descending });
        }}
      >
        {mode === 'review' ? 'Back to the library' : 'Clear the search and filters'}
      </button>
    </div>
  );
}

/** Folders are in the library but no track (yet). */
function NoMusicYet(): React.JSX.Element {
  const folders = useLibrary((s) => s.folders);
  const scanning = folders.some((f) => f.scanning);
  return (
    <div className="empty-library" data-testid="no-music">
      <h2>{scanning ? 'Looking for music…' : 'No music found'}</h2>
      <p>
        {scanning ? 'Scanning ' : 'No audio files in '}
        {folders.map((f) => f.path).join(', ')}
        {scanning ? '' : '. Add another folder, or drop files on this window.'}
      </p>
      <button onClick={() => openPanel('folders')}>Folders…</button>
    </div>
  );
}

/** The table's empty state. */
export function EmptyLibrary(): React.JSX.Element {
  const folders = useLibrary((s) => s.folders);
  const query = useLibrary((s) => s.query);
  const mode = useLibrary((s) => s.mode);
  const filtered = mode === 'review' || query.search !== '' || query.statuses.length > 0 || query.tag !== null;
  if (filtered) return <NoMatch />;
  return folders.length > 0 ? <NoMusicYet /> : <Welcome />;
}
