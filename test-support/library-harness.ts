// Shared helpers of the library's tests: opening a library that records its events, waiting for
// background work, and queries with the contract's defaults filled in.
import type { EventName, EventPayloads, ParsedArg } from '../src-preload/contract';
import type { TaggingEngine } from '../src-main/inference/engine';
import { Library, type LibraryOptions } from '../src-main/library/library';

/** One event a library emitted. */
export interface RecordedEvent {
  readonly event: EventName;
  readonly payload: EventPayloads[EventName];
  /** performance.now() when it was emitted. */
  readonly atMs: number;
}

/** Opens a library whose events land in `events`. */
export async function openRecording(
  dataDir: string,
  engine: TaggingEngine | null,
  options: Partial<Omit<LibraryOptions, 'dataDir' | 'engine' | 'onEvent'>> = {},
): Promise<{ library: Library; events: RecordedEvent[] }> {
  const events: RecordedEvent[] = [];
  const library = await Library.open({
    dataDir,
    engine,
    watch: false,
    ...options,
    onEvent: (event, payload) => events.push({ event, payload, atMs: performance.now() }),
  });
  return { library, events };
}

/** Polls until `check` returns a value other than undefined/false, or fails after `timeoutMs`. */
export async function waitFor<T>(check: () => T | undefined | false, what: string, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Waits until scans are done and the queue has nothing left to do. */
export async function untilQueueIdle(library: Library, timeoutMs = 120_000): Promise<true> {
  await library.settled();
  return waitFor(
    () => {
      const s = library.queueStatus();
      return s.state === 'idle' && s.done === s.total && s.current.length === 0;
    },
    'the queue to finish',
    timeoutMs,
  );
}

/** A table query with the contract's defaults. */
export function query(q: Partial<ParsedArg<'queryTracks'>> = {}): ParsedArg<'queryTracks'> {
  return { search: '', statuses: [], tag: null, minConfidence: 0, sort: 'added', descending: false, toReview: false, offset: 0, limit: 1000, ...q };
}
