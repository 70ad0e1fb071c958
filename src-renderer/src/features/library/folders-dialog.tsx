// The library's folders: each with its track count and scanning state, Rescan, and Remove (which
// keeps the person's corrections unless they say to forget them too); adding one; rescanning all.
import { useState } from 'react';
import type { FolderRow } from '../../../../src-preload/contract';
import { call, getTransport } from '../../api/api';
import { loadFolders, refreshLoaded, useLibrary } from '../../state/library-store';
import { notify } from '../../state/notice-store';
import { usePanel } from '../../state/panel-store';
import { plural } from '../format';
import { Dialog } from '../overlays/dialog';
import { chooseAndAddFolder } from '../top-bar/add-folder';
import { FolderField } from './folder-field';

async function run(work: () => Promise<unknown>, done?: string): Promise<void> {
  try {
    await work();
    if (done) notify('info', done);
    await loadFolders();
    void refreshLoaded();
  } catch (error) {
    notify('error', (error as Error).message);
  }
}

function RemoveConfirm({ folder, onDone }: { folder: FolderRow; onDone: () => void }): React.JSX.Element {
  const [forget, setForget] = useState(false);
  return (
    <div className="remove-confirm" role="group" aria-label={`Remove ${folder.path}`}>
      <p>
        Remove <strong>{folder.path}</strong> from the library? Its {plural(folder.tracks, 'track')} leave the table; the files stay on disk.
        Corrections you made to them are kept: they go up with the next upload, and come back if you add the folder again.
      </p>
      <label>
        <input type="checkbox" checked={forget} onChange={(e) => setForget(e.target.checked)} /> Also forget my corrections of these tracks
      </label>
      <div className="review-bar">
        <button
          className="danger"
          onClick={() => void run(() => call('removeFolder', { id: folder.id, forgetCorrections: forget }), `Removed ${folder.path}${forget ? ' and its corrections' : ''}`).then(onDone)}
        >
          Remove
        </button>
        <button onClick={onDone}>Cancel</button>
      </div>
    </div>
  );
}

/** The Folders dialog. */
export function FoldersDialog({ onClose }: { onClose: () => void }): React.JSX.Element {
  const folders = useLibrary((s) => s.folders);
  const focusField = usePanel((s) => s.focusFolderField);
  const [removing, setRemoving] = useState<number | null>(null);
  const picker = getTransport().chooseFolder !== null;
  const total = folders.reduce((n, f) => n + f.tracks, 0);
  return (
    <Dialog label="Library folders" title="Library folders" onClose={onClose}>
      {folders.length === 0 ? (
        <p className="track-sub">No folders yet. Add one below, or drop music files on the window.</p>
      ) : (
        <table className="simple folders-table" data-testid="folders-table">
          <thead>
            <tr>
              <th>Folder</th>
              <th className="num-cell">Tracks</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {folders.map((f) => (
              <FolderLine key={f.id} folder={f} removing={removing === f.id} onRemove={() => setRemoving(f.id)} onDone={() => setRemoving(null)} />
            ))}
          </tbody>
          <tfoot>
            <tr>
              <td className="track-sub">{plural(folders.length, 'folder')}</td>
              <td className="num-cell track-sub">{total}</td>
              <td />
            </tr>
          </tfoot>
        </table>
      )}
      <h3>Add a folder</h3>
      {picker ? (
        <button className="primary" onClick={() => void chooseAndAddFolder()}>
          Add folder…
        </button>
      ) : (
        <FolderField autoFocus={focusField} />
      )}
      <p className="track-sub">
        Folders are watched while eno runs. Rescan picks up what changed while it was closed, or on drives that cannot be watched; only changed files are read again.
      </p>
      <div className="review-bar">
        <button onClick={() => void run(() => call('rescan', undefined), 'Rescanning every folder…')} disabled={folders.length === 0}>
          Rescan all
        </button>
        <button onClick={onClose}>Close</button>
      </div>
    </Dialog>
  );
}

function FolderLine({ folder, removing, onRemove, onDone }: { folder: FolderRow; removing: boolean; onRemove: () => void; onDone: () => void }): React.JSX.Element {
  return (
    <>
      <tr data-folder={folder.path}>
        <td className="folder-path" title={folder.path}>
          {folder.path}
          {folder.scanning && <span className="scanning"> · scanning…</span>}
        </td>
        <td className="num-cell">{folder.tracks}</td>
        <td className="row-actions">
          <button onClick={() => void run(() => call('rescanFolder', { id: folder.id }), `Rescanning ${folder.path}…`)} disabled={folder.scanning}>
            Rescan
          </button>
          <button onClick={onRemove} disabled={removing}>
            Remove…
          </button>
        </td>
      </tr>
      {removing && (
        <tr>
          <td colSpan={3}>
            <RemoveConfirm folder={folder} onDone={onDone} />
          </td>
        </tr>
      )}
    </>
  );
}
