// The contract itself: one schema per request name, schemas that refuse what the core must never
// see, and a preload that exposes exactly the contract on the right channels.
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { EVENT_NAMES, eventChannel, REQUEST_NAMES, requestChannel, requestSchemas } from './contract';

describe('contract', () => {
  it('has exactly one argument schema per request name', () => {
    expect(Object.keys(requestSchemas).sort()).toEqual([...REQUEST_NAMES].sort());
    expect(new Set(REQUEST_NAMES).size).toBe(REQUEST_NAMES.length);
  });

  it('fills defaults for queries and keeps them in bounds', () => {
    expect(requestSchemas.queryTracks.parse({ offset: 0, limit: 50 })).toEqual({
      search: '',
      statuses: [],
      tag: null,
      minConfidence: 0,
      sort: 'added',
      descending: false,
      toReview: false,
      offset: 0,
      limit: 50,
    });
    expect(requestSchemas.queryTracks.safeParse({ offset: -1, limit: 50 }).success).toBe(false);
    expect(requestSchemas.queryTracks.safeParse({ offset: 0, limit: 5000 }).success).toBe(false);
    expect(requestSchemas.queryTracks.safeParse({ offset: 0, limit: 5, sort: 'random()' }).success).toBe(false);
  });

  it('refuses malformed corrections', () => {
    const ok = { trackIds: [1, 2], action: 'add', tag: '  late night ' };
    expect(requestSchemas.label.parse(ok).tag).toBe('late night');
    for (const bad of [
      { ...ok, trackIds: [] },
      { ...ok, trackIds: [0] },
      { ...ok, trackIds: [1.5] },
      { ...ok, action: 'delete' },
      { ...ok, tag: '' },
      { ...ok, tag: 'two\nlines' },
      { ...ok, tag: 'x'.repeat(65) },
    ]) {
      expect(requestSchemas.label.safeParse(bad).success, JSON.stringify(bad)).toBe(false);
    }
  });

  it('names channels with the app prefix', () => {
    expect(requestChannel('label')).toBe('eno:request:label');
    expect(eventChannel('queue')).toBe('eno:event:queue');
    expect(EVENT_NAMES).toContain('tracksChanged');
  });
});

const exposed: Record<string, unknown> = {};
const invoke = vi.fn(async (..._args: unknown[]) => ({ ok: true, value: null }));
const listeners = new Map<string, (...args: unknown[]) => void>();
vi.mock('electron', () => ({
  contextBridge: { exposeInMainWorld: (key: string, api: Record<string, unknown>) => (exposed[key] = api) },
  ipcRenderer: {
    invoke: (...args: unknown[]) => invoke(...args),
    on: (channel: string, handler: (...args: unknown[]) => void) => listeners.set(channel, handler),
    removeListener: (channel: string) => listeners.delete(channel),
  },
  webUtils: { getPathForFile: () => '/music/a.mp3' },
}));

describe('preload', () => {
  beforeEach(async () => {
    await import('./index');
  });

  it('exposes one function per request, invoking its channel, plus on/pathForFile/chooseFolder', async () => {
    const api = exposed.eno as Record<string, (arg?: unknown) => unknown>;
    expect(Object.keys(api).sort()).toEqual([...REQUEST_NAMES, 'chooseFolder', 'on', 'pathForFile'].sort());
    await api.label!({ trackIds: [1], action: 'add', tag: 'x' });
    expect(invoke).toHaveBeenLastCalledWith('eno:request:label', { trackIds: [1], action: 'add', tag: 'x' });
    expect(api.pathForFile!({})).toBe('/music/a.mp3');
  });

  it('subscribes to known events only and unsubscribes', () => {
    const api = exposed.eno as { on: (e: string, cb: (p: unknown) => void) => () => void };
    const seen: unknown[] = [];
    const off = api.on('queue', (p) => seen.push(p));
    listeners.get('eno:event:queue')!({}, { state: 'idle' });
    expect(seen).toEqual([{ state: 'idle' }]);
    off();
    expect(listeners.has('eno:event:queue')).toBe(false);
    expect(() => api.on('secrets', () => undefined)).toThrow(/unknown event/);
  });
});
