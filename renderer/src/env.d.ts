import type { DeskApi } from '../../shared/ipc/api';

declare global {
  interface Window {
    /** Set by the Electron preload; absent in the browser host, where api/desk.ts builds it. */
    readonly desk?: DeskApi;
  }
}
