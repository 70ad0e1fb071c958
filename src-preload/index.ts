// Exposes the contract on window.eno and nothing else: one function per request, `on` for events,
// the path of a dropped file, and the folder dialog. Only contract-data is bundled here (no zod):
// main validates every argument anyway.
import { contextBridge, ipcRenderer, webUtils, type IpcRendererEvent } from 'electron';
import type { EnoApi } from './contract';
import { CHOOSE_FOLDER_CHANNEL, EVENT_NAMES, eventChannel, REQUEST_NAMES, requestChannel, type EventName } from './contract-data';

const api: Record<string, unknown> = {};
for (const name of REQUEST_NAMES) {
  api[name] = (arg: unknown) => ipcRenderer.invoke(requestChannel(name), arg);
}
api.on = (event: EventName, listener: (payload: unknown) => void) => {
  if (!EVENT_NAMES.includes(event)) throw new Error(`unknown event "${event}"`);
  const channel = eventChannel(event);
  const handler = (_e: IpcRendererEvent, payload: unknown): void => listener(payload);
  ipcRenderer.on(channel, handler);
  return () => void ipcRenderer.removeListener(channel, handler);
};
api.pathForFile = (file: File) => webUtils.getPathForFile(file);
api.chooseFolder = () => ipcRenderer.invoke(CHOOSE_FOLDER_CHANNEL);

contextBridge.exposeInMainWorld('eno', api as EnoApi);
