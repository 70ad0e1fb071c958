// IPC in the desktop app: requests are answered only for the app's own top-level frame showing the
// app's renderer, and every request name of the contract gets a handler that validates first.
import type { IpcMainInvokeEvent } from 'electron';
import { describe, expect, it, vi } from 'vitest';
import { REQUEST_NAMES } from '../../src-preload/contract';
import type { CoreHost } from '../core/core-host';
import type { Handlers } from '../core/dispatch';

const handlers = new Map<string, (event: unknown, arg: unknown) => unknown>();
vi.mock('electron', () => ({
  BrowserWindow: { getAllWindows: () => [], fromWebContents: () => null },
  dialog: { showOpenDialog: async () => ({ canceled: true, filePaths: [] }) },
  ipcMain: {
    handle: (channel: string, fn: (event: unknown, arg: unknown) => unknown) => handlers.set(channel, fn),
    removeHandler: (channel: string) => handlers.delete(channel),
  },
}));

const { registerIpc, trustedSender } = await import('./ipc');

function event(senderId: number, url: string, parent: unknown = null): IpcMainInvokeEvent {
  return { sender: { id: senderId }, senderFrame: { url, parent } } as unknown as IpcMainInvokeEvent;
}

describe('trustedSender', () => {
  const trusted = new Set([7]);

  it('accepts only the trusted window, its top frame, and the built renderer file', () => {
    const check = trustedSender('file:///opt/eno/out/renderer/index.html', trusted);
    expect(check(event(7, 'file:///opt/eno/out/renderer/index.html'))).toBe(true);
    expect(check(event(8, 'file:///opt/eno/out/renderer/index.html'))).toBe(false);
    expect(check(event(7, 'file:///opt/eno/out/renderer/index.html', {}))).toBe(false);
    expect(check(event(7, 'file:///home/user/Downloads/evil.html'))).toBe(false);
    expect(check(event(7, 'https://example.com/'))).toBe(false);
  });

  it('accepts the dev server origin only in development', () => {
    const check = trustedSender('http://localhost:5173/', trusted);
    expect(check(event(7, 'http://localhost:5173/index.html'))).toBe(true);
    expect(check(event(7, 'http://localhost:5174/index.html'))).toBe(false);
    expect(check(event(7, 'file:///opt/eno/out/renderer/index.html'))).toBe(false);
  });
});

describe('registerIpc', () => {
  it('registers every request of the contract, refuses untrusted frames, validates arguments', async () => {
    const history = vi.fn(() => ({ canUndo: false, canRedo: false, undoLabel: null, redoLabel: null }));
    const core = {
      handlers: { history, getTrack: vi.fn() } as unknown as Handlers,
      subscribe: () => () => undefined,
      log: () => undefined,
    } as unknown as CoreHost;
    const unregister = registerIpc(core, (e) => e.sender.id === 7);
    for (const name of REQUEST_NAMES) expect(handlers.has(`eno:request:${name}`), name).toBe(true);

    expect(await handlers.get('eno:request:history')!(event(9, 'x'), undefined)).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(history).not.toHaveBeenCalled();
    expect(await handlers.get('eno:request:history')!(event(7, 'x'), undefined)).toMatchObject({ ok: true });
    expect(await handlers.get('eno:request:getTrack')!(event(7, 'x'), { id: 'one' })).toMatchObject({ ok: false, error: { code: 'invalid-argument' } });
    unregister();
    expect(handlers.size).toBe(0);
  });
});
