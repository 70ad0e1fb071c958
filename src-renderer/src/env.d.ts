import type { EnoApi } from '../../src-preload/contract';

declare global {
  interface Window {
    /** Present in the Electron window; absent in browser mode. */
    readonly eno?: EnoApi;
  }
}
