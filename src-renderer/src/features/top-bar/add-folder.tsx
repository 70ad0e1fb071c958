// Adding a music folder: the native dialog in the desktop app, a path field in browser mode (the
// path is on the machine running eno).
import { useState } from 'react';
import { call, getTransport } from '../../api/api';
import { loadFolders, refreshLoaded } from '../../state/library-store';
import { notify } from '../../state/notice-store';

/** Opens the native folder dialog (desktop app) and adds the chosen folder. */
export async function chooseAndAddFolder(): Promise<void> {
  const choose = getTransport().chooseFolder;
  if (!choose) {
    document.querySelector<HTMLInputElement>('input[aria-label="Folder to add"]')?.focus();
    return;
  }
  const path = await choose();
  if (path) await addFolder(path);
}

async function addFolder(path: string): Promise<boolean> {
  try {
    const folder = await call('addFolder', { path });
    notify('info', `Scanning ${folder.path}…`);
    await loadFolders();
    void refreshLoaded();
    return true;
  } catch (error) {
    notify('error', (error as Error).message);
    return false;
  }
}

/** The "Add folder" control. */
export function AddFolder(): React.JSX.Element {
  const chooseFolder = getTransport().chooseFolder;
  const [path, setPath] = useState('');
  if (chooseFolder) {
    return (
      <button
        className="primary"
        onClick={() => void chooseAndAddFolder()}
        title="Add a music folder (Ctrl+O)"
      >
        Add folder…
      </button>
    );
  }
  return (
    <form
      className="folder-form"
      onSubmit={(e) => {
        e.preventDefault();
        if (path.trim()) void addFolder(path.trim()).then((ok) => ok && setPath(''));
      }}
    >
      <input
        type="text"
        aria-label="Folder to add"
        placeholder="/path/to/music on the eno machine"
        value={path}
        onChange={(e) => setPath(e.target.value)}
      />
      <button className="primary" type="submit" disabled={!path.trim()}>
        Add folder
      </button>
    </form>
  );
}
