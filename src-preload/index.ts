// Exposes the contract on window.eno and nothing else.
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { eventChannel, requestChannel, requestSchemas, type EnoApi, type EventName, type RequestName } from './contract';

const api: Record<string, unknown> = {};
for (const name of Object.keys(requestSchemas) as RequestName[]) {
  api[name] = (arg: unknown) => ipcRenderer.invoke(requestChannel(name), arg);
}
api.on = (event: EventName, listener: (payload: unknown) => void) => {
  const channel = eventChannel(event);
  const handler = (_e: IpcRendererEvent, payload: unknown): void => listener(payload);
  ipcRenderer.on(channel, handler);
  return () => ipcRenderer.removeListener(channel, handler);
};

contextBridge.exposeInMainWorld('eno', api as EnoApi);
