// Contract requests over IPC: one handler per request of the contract (the Handlers type makes a
// missing one a compile error), each answering only frames of the app's own windows, with the
// argument validated by dispatch() before use. Core events go to every trusted window.
import { BrowserWindow, dialog, ipcMain, type IpcMainInvokeEvent } from 'electron';
import {
  CHOOSE_FOLDER_CHANNEL,
  eventChannel,
  REQUEST_NAMES,
  requestChannel,
  type EventName,
  type EventPayloads,
} from '../../src-preload/contract';
import type { CoreHost } from '../core/core-host';
import { dispatch } from '../core/dispatch';

/** Decides whether an IPC message comes from one of our windows showing our renderer. */
export type SenderCheck = (event: IpcMainInvokeEvent) => boolean;

/** A sender check for the given renderer origin (file:// in production, the dev server in dev). */
export function trustedSender(rendererUrl: string, trustedIds: ReadonlySet<number>): SenderCheck {
  const expected = new URL(rendererUrl);
  return (event) => {
    const frame = event.senderFrame;
    if (!frame || !trustedIds.has(event.sender.id) || frame.parent !== null) return false;
    const url = new URL(frame.url);
    return expected.protocol === 'file:' ? url.protocol === 'file:' && url.pathname === expected.pathname : url.origin === expected.origin;
  };
}

/** Registers every request handler and the folder dialog; returns a function that removes them. */
export function registerIpc(core: CoreHost, isTrusted: SenderCheck): () => void {
  const names = REQUEST_NAMES;
  for (const name of names) {
    ipcMain.handle(requestChannel(name), async (event, arg: unknown) => {
      if (!isTrusted(event)) return { ok: false, error: { code: 'forbidden', message: 'request from an untrusted frame' } };
      return dispatch(core.handlers, name, arg, (m) => core.log(m));
    });
  }
  ipcMain.handle(CHOOSE_FOLDER_CHANNEL, async (event) => {
    if (!isTrusted(event)) return null;
    const win = BrowserWindow.fromWebContents(event.sender);
    const options = { title: 'Add a music folder', properties: ['openDirectory' as const] };
    const result = win ? await dialog.showOpenDialog(win, options) : await dialog.showOpenDialog(options);
    return result.canceled ? null : (result.filePaths[0] ?? null);
  });
  const unsubscribe = core.subscribe(<E extends EventName>(event: E, payload: EventPayloads[E]) => {
    for (const win of BrowserWindow.getAllWindows()) {
      if (!win.isDestroyed()) win.webContents.send(eventChannel(event), payload);
    }
  });
  return () => {
    unsubscribe();
    for (const name of names) ipcMain.removeHandler(requestChannel(name));
    ipcMain.removeHandler(CHOOSE_FOLDER_CHANNEL);
  };
}
