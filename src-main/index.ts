// Electron entry: single instance, the core, the media protocol, IPC, the window and its menu.
// Everything else lives in the core, which never imports Electron.
import { join } from 'node:path';
import { app, BrowserWindow, dialog, safeStorage } from 'electron';
import { AppCore } from './core/app-core';
import { fileLogger } from './core/logger';
import { secretStore } from './core/secret-store';
import { createMainWindow, rendererUrl } from './electron/window';
import { registerIpc, trustedSender } from './electron/ipc';
import { handleMediaProtocol, registerMediaScheme } from './electron/media-protocol';
import { installMenu } from './electron/menu';
import { ensureDataDir } from './library/data-dir';

const outDir = join(import.meta.dirname, '..');
registerMediaScheme();

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  let core: AppCore | undefined;
  let mainWindow: BrowserWindow | null = null;
  const trustedIds = new Set<number>();

  const openWindow = async (): Promise<void> => {
    const win = await createMainWindow(outDir, app.getPath('userData'), (url) => core?.clearml.isWebUiLink(url) ?? false);
    const id = win.webContents.id;
    trustedIds.add(id);
    win.on('closed', () => {
      trustedIds.delete(id);
      if (mainWindow === win) mainWindow = null;
    });
    mainWindow = win;
  };

  app.on('second-instance', () => {
    if (!mainWindow) return;
    if (mainWindow.isMinimized()) mainWindow.restore();
    mainWindow.focus();
  });

  const startUp = async (): Promise<void> => {
    const dataDir = ensureDataDir({ electronUserData: app.getPath('userData') });
    const log = fileLogger(dataDir);
    // A ClearML secret typed into the app is encrypted by the OS keychain, never stored in plain text.
    // On Linux without a keyring, safeStorage falls back to a fixed key ("basic_text"): that is not
    // encryption, so the secret then stays in memory only.
    const backend = process.platform === 'linux' ? safeStorage.getSelectedStorageBackend() : 'os';
    const cipher =
      safeStorage.isEncryptionAvailable() && backend !== 'basic_text' && backend !== 'unknown'
        ? { encrypt: (text: string) => safeStorage.encryptString(text), decrypt: (data: Buffer) => safeStorage.decryptString(data) }
        : null;
    const secrets = secretStore(dataDir, cipher, log);
    core = await AppCore.open({ dataDir, transport: 'electron', appVersion: app.getVersion(), log, secrets });
    handleMediaProtocol(core);
    registerIpc(core, trustedSender(rendererUrl(outDir), trustedIds));
    installMenu(() => mainWindow, !app.isPackaged);
    await openWindow();
    app.on('activate', () => {
      if (BrowserWindow.getAllWindows().length === 0) void openWindow();
    });
  };

  app.whenReady().then(startUp).catch((error: unknown) => {
    // Without this the process would live on with no window, holding the single-instance lock.
    const message = error instanceof Error ? error.message : String(error);
    dialog.showErrorBox('eno could not start', `${message}\n\nThe log is in ${join(app.getPath('userData'), 'logs', 'eno.log')}.`);
    app.exit(1);
  });

  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });

  // Stop the queue cleanly so unfinished tracks resume next time.
  let quitting = false;
  app.on('before-quit', (event) => {
    if (quitting || !core) return;
    event.preventDefault();
    quitting = true;
    void core.close().finally(() => app.quit());
  });
}
