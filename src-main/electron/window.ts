// The main window: sandboxed, context-isolated renderer with no Node, no navigation away from the
// app, no new windows, and no permissions beyond what a music app needs.
import { join } from 'node:path';
import { BrowserWindow, shell } from 'electron';
import { loadWindowState, trackWindowState } from './window-state';

/** Where the renderer is loaded from: the dev server in development, the built files otherwise. */
export function rendererUrl(outDir: string): string {
  return process.env.ELECTRON_RENDERER_URL ?? `file://${join(outDir, 'renderer', 'index.html')}`;
}

/** Creates and shows the main window; `externalAllowed` says which links may open in the browser. */
export async function createMainWindow(outDir: string, userData: string, externalAllowed: (url: string) => boolean): Promise<BrowserWindow> {
  const state = loadWindowState(userData);
  const win = new BrowserWindow({
    ...state.bounds,
    center: state.centre,
    minWidth: 900,
    minHeight: 560,
    title: 'eno',
    show: false,
    backgroundColor: '#14161a',
    webPreferences: {
      // The preload only exposes the typed contract through contextBridge (src-preload/index.ts).
      preload: join(outDir, 'preload', 'index.cjs'), // eng-disable PRELOAD_JS_CHECK
      // Middle-click must not open links in new windows.
      disableBlinkFeatures: 'Auxclick',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      spellcheck: false,
    },
  });
  if (state.maximized) win.maximize();
  trackWindowState(win, userData);
  win.once('ready-to-show', () => win.show());

  const contents = win.webContents;
  contents.on('will-navigate', (event) => event.preventDefault());
  contents.on('will-redirect', (event) => event.preventDefault());
  contents.on('will-attach-webview', (event) => event.preventDefault());
  // Nothing opens inside the app. Links into the configured ClearML web UI open in the browser.
  contents.setWindowOpenHandler(({ url }) => {
    if (externalAllowed(url)) void shell.openExternal(url); // eng-disable OPEN_EXTERNAL_JS_CHECK
    return { action: 'deny' };
  });
  contents.session.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  contents.session.setPermissionCheckHandler(() => false);

  await win.loadURL(rendererUrl(outDir));
  return win;
}
