// Electron entry: window, security settings and IPC registration. Everything else is in the core.
import { join } from 'node:path';
import { app, BrowserWindow, ipcMain, shell } from 'electron';
import { requestChannel } from '../src-preload/contract';
import { defaultModelDir } from './inference/default-model';
import { loadModelBundle } from './inference/manifest';

async function createWindow(): Promise<void> {
  const win = new BrowserWindow({
    width: 1280,
    height: 820,
    title: 'eno',
    show: false,
    webPreferences: {
      preload: join(import.meta.dirname, '../preload/index.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
    },
  });
  win.once('ready-to-show', () => win.show());
  // No navigation away from the app and no new windows; external links open in the browser.
  win.webContents.on('will-navigate', (event) => event.preventDefault());
  win.webContents.setWindowOpenHandler(({ url }) => {
    if (url.startsWith('https://')) void shell.openExternal(url);
    return { action: 'deny' };
  });
  if (process.env.ELECTRON_RENDERER_URL) await win.loadURL(process.env.ELECTRON_RENDERER_URL);
  else await win.loadFile(join(import.meta.dirname, '../renderer/index.html'));
}

app.whenReady().then(async () => {
  const dir = defaultModelDir();
  const bundle = dir ? await loadModelBundle(dir) : undefined;
  ipcMain.handle(requestChannel('appInfo'), () => ({
    ok: true,
    value: {
      version: app.getVersion(),
      modelId: bundle?.manifest.id ?? 'none',
      modelVersion: bundle?.manifest.version ?? '',
      provider: 'cpu',
      providerNote: null,
    },
  }));
  await createWindow();
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) void createWindow();
  });
});

app.on('window-all-closed', () => {
  if (process.platform !== 'darwin') app.quit();
});
