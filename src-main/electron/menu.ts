// The application menu. App actions show their usual accelerators but leave the keys to the
// window's own shortcuts (registerAccelerator: false), so a key never triggers an action twice;
// choosing the item sends the same command to the window.
import { Menu, type BrowserWindow, type MenuItemConstructorOptions } from 'electron';
import { eventChannel, type EventPayloads, type MenuCommand } from '../../src-preload/contract';

function command(win: () => BrowserWindow | null, name: MenuCommand): () => void {
  return () => {
    const payload: EventPayloads['command'] = { name };
    win()?.webContents.send(eventChannel('command'), payload);
  };
}

/** Installs the menu; `win` returns the window commands go to. */
export function installMenu(win: () => BrowserWindow | null, dev: boolean): void {
  const item = (label: string, accelerator: string, name: MenuCommand): MenuItemConstructorOptions => ({
    label,
    accelerator,
    registerAccelerator: false,
    click: command(win, name),
  });
  const template: MenuItemConstructorOptions[] = [
    ...(process.platform === 'darwin' ? [{ role: 'appMenu' as const }] : []),
    {
      label: '&File',
      submenu: [
        { label: 'Add Folder…', accelerator: 'CmdOrCtrl+O', click: command(win, 'add-folder') },
        { label: 'Write Tags into Files…', click: command(win, 'write-tags') },
        { type: 'separator' },
        process.platform === 'darwin' ? { role: 'close' } : { role: 'quit' },
      ],
    },
    {
      label: '&Edit',
      submenu: [
        item('Undo', 'CmdOrCtrl+Z', 'undo'),
        item('Redo', 'CmdOrCtrl+Shift+Z', 'redo'),
        { type: 'separator' },
        { role: 'cut' },
        { role: 'copy' },
        { role: 'paste' },
        { type: 'separator' },
        item('Find', '/', 'search'),
      ],
    },
    {
      label: '&View',
      submenu: [
        item('Review Queue', 'Q', 'toggle-review-queue'),
        item('Learned Tags…', 'Shift+L', 'learned-tags'),
        { type: 'separator' },
        { role: 'resetZoom' },
        { role: 'zoomIn' },
        { role: 'zoomOut' },
        { role: 'togglefullscreen' },
        ...(dev ? [{ role: 'reload' as const }, { role: 'toggleDevTools' as const }] : []),
      ],
    },
    {
      label: '&Help',
      submenu: [
        item('Keyboard Shortcuts', '?', 'help'),
        { role: 'about' },
      ],
    },
  ];
  Menu.setApplicationMenu(Menu.buildFromTemplate(template));
}
