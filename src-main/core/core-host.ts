// What a front end (the Electron shell or the browser-mode server) needs from the core.
import type { AddPathsResult, EventName, EventPayloads } from '../../src-preload/contract';
import type { CoverArt } from '../library/cover-art';
import type { Handlers } from './dispatch';

export type EventListener = <E extends EventName>(event: E, payload: EventPayloads[E]) => void;

export interface CoreHost {
  readonly handlers: Handlers;
  /** The file to stream for a track, or null when the track is not in the library. */
  mediaFile(trackId: number): string | null;
  /** The cover picture embedded in a track's file, or null when there is none (absent: no covers). */
  coverArt?(trackId: number): Promise<CoverArt | null>;
  /** Where files uploaded in browser mode are kept (they become part of the library). */
  readonly importDir: string;
  /** Adds files already on this machine as if dropped on the window (tagged first). */
  addDropped(paths: readonly string[]): Promise<AddPathsResult>;
  /** Subscribes to core events; returns the unsubscribe function. */
  subscribe(listener: EventListener): () => void;
  /** Writes a line to the core's log. */
  log(message: string): void;
}
