// Transport for browser mode: contract requests as same-origin POSTs, events over a WebSocket that
// reconnects, dropped files uploaded to the machine running eno.
import {
  coverPath,
  EVENT_NAMES,
  mediaPath,
  type AddPathsResult,
  type EventName,
  type EventPayloads,
  type RequestName,
  type Result,
} from '../../../src-preload/contract-data';
import type { Transport } from './transport';

type AnyListener = (payload: unknown) => void;

/** Connects to the server that served this page. */
export function httpTransport(origin: string = window.location.origin): Transport {
  const listeners = new Map<EventName, Set<AnyListener>>(EVENT_NAMES.map((e) => [e, new Set()]));
  let retryMs = 500;
  let connectedBefore = false;
  const deliver = (event: EventName, payload: unknown): void => {
    for (const listener of listeners.get(event) ?? []) listener(payload);
  };

  /** Events sent while the socket was down are lost: fetch the current state and replay it. */
  const resync = async (): Promise<void> => {
    const replay: Array<[EventName, RequestName]> = [
      ['queue', 'queueStatus'],
      ['upload', 'uploadState'],
      ['appInfo', 'appInfo'],
    ];
    for (const [event, name] of replay) {
      const result = await request(name, undefined);
      if (result.ok) deliver(event, result.value);
    }
    deliver('tracksChanged', { ids: [] });
  };

  const connect = (): void => {
    const ws = new WebSocket(`${origin.replace(/^http/, 'ws')}/api/events`);
    ws.onopen = () => {
      retryMs = 500;
      if (connectedBefore) void resync();
      connectedBefore = true;
    };
    ws.onmessage = (message) => {
      const { event, payload } = JSON.parse(String(message.data)) as { event: EventName; payload: unknown };
      deliver(event, payload);
    };
    ws.onclose = () => {
      // The server restarted or the network blinked: reconnect with backoff.
      setTimeout(connect, retryMs);
      retryMs = Math.min(retryMs * 2, 10_000);
    };
  };

  const request = async (name: RequestName, arg: unknown): Promise<Result<unknown>> => {
    try {
      const res = await fetch(`${origin}/api/request/${name}`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ arg }),
        credentials: 'same-origin',
      });
      if (res.status === 401) return { ok: false, error: { code: 'forbidden', message: 'this page lost its access: open the address eno serve printed' } };
      return (await res.json()) as Result<unknown>;
    } catch (error) {
      return { ok: false, error: { code: 'unavailable', message: `eno is not reachable (${(error as Error).message})` } };
    }
  };

  connect();

  /** Uploads one dropped file; a failure is that file's error, and the other files go on. */
  const upload = async (file: File): Promise<AddPathsResult> => {
    const failed = (reason: string): AddPathsResult => ({ files: 0, queued: 0, errors: [{ path: file.name, reason }] });
    try {
      const res = await fetch(`${origin}/api/import?name=${encodeURIComponent(file.name)}`, {
        method: 'PUT',
        body: file,
        credentials: 'same-origin',
      });
      if (!(res.headers.get('content-type') ?? '').startsWith('application/json')) return failed(`${res.status} ${(await res.text()).slice(0, 200)}`);
      const result = (await res.json()) as Result<AddPathsResult>;
      return result.ok ? result.value : failed(result.error.message);
    } catch (error) {
      return failed(`eno is not reachable (${(error as Error).message})`);
    }
  };

  return {
    kind: 'browser',
    request,
    on: <E extends EventName>(event: E, listener: (payload: EventPayloads[E]) => void) => {
      const set = listeners.get(event)!;
      set.add(listener as AnyListener);
      return () => set.delete(listener as AnyListener);
    },
    mediaUrl: (trackId) => `${origin}/media/${mediaPath(trackId)}`,
    coverUrl: (trackId) => `${origin}/media/${coverPath(trackId)}`,
    importFiles: async (files, onProgress) => {
      let added = 0;
      let queued = 0;
      const errors: Array<{ path: string; reason: string }> = [];
      let done = 0;
      for (const file of files) {
        const r = await upload(file);
        added += r.files;
        queued += r.queued;
        errors.push(...r.errors);
        onProgress?.(++done, files.length);
      }
      return { files: added, queued, errors };
    },
    chooseFolder: null,
  };
}
