// How the renderer reaches the core. Two implementations: Electron IPC through the preload, and
// HTTP + WebSocket in browser mode. Components never see which one is in use.
import type { AddPathsResult, EventName, EventPayloads, RequestName, Result } from '../../../src-preload/contract';

export interface Transport {
  readonly kind: 'electron' | 'browser';
  request(name: RequestName, arg: unknown): Promise<Result<unknown>>;
  on<E extends EventName>(event: E, listener: (payload: EventPayloads[E]) => void): () => void;
  /** URL the <audio> element plays a track from. */
  mediaUrl(trackId: number): string;
  /** URL of a track's embedded cover picture (no content when it has none). */
  coverUrl(trackId: number): string;
  /** Adds dropped files: by path in Electron, by upload in browser mode. */
  importFiles(files: readonly File[], onProgress?: (done: number, total: number) => void): Promise<AddPathsResult>;
  /** The native folder picker, or null where there is none (browser mode uses a path field). */
  chooseFolder: (() => Promise<string | null>) | null;
}
