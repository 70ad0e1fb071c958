// Adding a music folder: the native dialog in the desktop app; in browser mode a path on the
// machine running eno, typed in the Folders dialog or the empty library's field.
import { call, getTransport } from '../../api/api';
import { loadFolders, refreshLoaded } from '../../state/library-store';
import { notify } from '../../state/notice-store';
import { openPanel } from '../../state/panel-store';
import { plural } from '../format';

/** Opens the native folder dialog (desktop app) or the Folders dialog's path field (browser mode). */
export async function chooseAndAddFolder(): Promise<void> {
  const choose = getTransport().chooseFolder;
  if (!choose) {
    openPanel('folders', true);
    return;
  }
  const path = await choose();
  if (path) await addFolder(path);
}

/** Adds a folder and says what happened: scanning it, or that it was there already. */
export async function addFolder(path: string): Promise<boolean> {
  try {
    const folder = await call('addFolder', { path });
    if (folder.alreadyIn === 'same') notify('info', `${folder.path} is already in the library (${plural(folder.tracks, 'track')}); looking for changes`);
    else if (folder.alreadyIn === 'inside') notify('info', `${path} is inside ${folder.path}, already in the library; looking for changes`);
    else notify('info', `Scanning ${folder.path}…`);
    await loadFolders();
    void refreshLoaded();
    return true;
  } catch (error) {
    notify('error', (error as Error).message);
    return false;
  }
}
