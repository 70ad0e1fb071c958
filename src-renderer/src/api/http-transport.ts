// Transport for browser mode: contract requests as same-origin POSTs, events over a WebSocket that
// reconnects, dropped files uploaded to the machine running eno.
import {
  EVENT_NAMES,
  mediaPath,
  type AddPathsResult,
  type EventName,
  type EventPayloads,
  type RequestName,
  type Result,
} from '../../../src-preload/contract';
import type { Transport } from './transport';

type AnyListener = (payload: unknown) => void;

/** Connects to the server that served this page. */
export function httpTransport(origin: string = window.location.origin): Transport {
  const listeners = new Map<EventName, Set<AnyListener>>(EVENT_NAMES.map((e) => [e, new Set()]));
  let retryMs = 500;

  const connect = (): void => {
    const ws = new WebSocket(`${origin.replace(/^http/, 'ws')}/api/events`);
    ws.onopen = () => {
      retryMs = 500;
    };
    ws.onmessage = (message) => {
      const { event, payload } = JSON.parse(String(message.data)) as { event: EventName; payload: unknown };
      for (const listener of listeners.get(event) ?? []) listener(payload);
    };
    ws.onclose = () => {
      // The server restarted or the network blinked: reconnect with backoff.
      setTimeout(connect, retryMs);
      retryMs = Math.min(retryMs * 2, 10_000);
    };
  };
  connect();

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

  const upload = async (file: File): Promise<AddPathsResult> => {
    const res = await fetch(`${origin}/api/import?name=${encodeURIComponent(file.name)}`, {
      method: 'PUT',
      body: file,
      credentials: 'same-origin',
    });
    const result = (await res.json()) as Result<AddPathsResult>;
    if (!result.ok) return { files: 0, queued: 0, errors: [{ path: file.name, reason: result.error.message }] };
    return result.value;
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
