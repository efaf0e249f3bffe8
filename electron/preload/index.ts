/**
 * The preload: exposes exactly one object, `window.desk`, with the contract's named methods.
 * Never the raw ipcRenderer, never a generic invoke.
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { createDeskApi, eventChannel, type DeskTransport } from '../../shared/ipc/api';
import type { Result } from '../../shared/ipc/result';

const transport: DeskTransport = {
  invoke: (channel, input) => ipcRenderer.invoke(channel, input) as Promise<Result<unknown>>,
  subscribe(event, listener) {
    const wrapped = (_event: IpcRendererEvent, payload: unknown): void => listener(payload);
    const channel = eventChannel(event);
    ipcRenderer.on(channel, wrapped);
    return () => {
      ipcRenderer.removeListener(channel, wrapped);
    };
  },
};

contextBridge.exposeInMainWorld('desk', createDeskApi(transport));
