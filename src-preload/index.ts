// Exposes the contract on window.eno and nothing else: one function per request, `on` for events,
// the path of a dropped file, and the folder dialog.
import { contextBridge, ipcRenderer, webUtils, type IpcRendererEvent } from 'electron';
import {
  CHOOSE_FOLDER_CHANNEL,
  EVENT_NAMES,
  eventChannel,
  requestChannel,
  requestSchemas,
  type EnoApi,
  type EventName,
  type RequestName,
} from './contract';

const api: Record<string, unknown> = {};
for (const name of Object.keys(requestSchemas) as RequestName[]) {
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
