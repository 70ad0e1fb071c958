import { describe, expect, it } from 'vitest';
import { AppError } from './app-error';
import { dispatch, type Handlers } from './dispatch';

class StoreError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

const handlers = {
  history: () => ({ canUndo: false, canRedo: false, undoLabel: null, redoLabel: null }),
  getTrack: ({ id }: { id: number }) => {
    if (id === 1) throw new AppError('not-found', 'track 1 is not in the library');
    if (id === 2) throw new StoreError('unavailable', 'the library is closed');
    if (id === 3) throw new StoreError('EIO', 'disk trouble');
    throw new Error('boom');
  },
} as unknown as Handlers;

describe('dispatch', () => {
  it('runs a valid request and wraps its value', async () => {
    expect(await dispatch(handlers, 'history', undefined)).toEqual({ ok: true, value: { canUndo: false, canRedo: false, undoLabel: null, redoLabel: null } });
  });

  it('refuses unknown requests and invalid arguments before any handler runs', async () => {
    expect(await dispatch(handlers, 'dropTables', {})).toEqual({ ok: false, error: { code: 'not-found', message: 'unknown request "dropTables"' } });
    expect(await dispatch(handlers, 'getTrack', { id: -4 })).toMatchObject({ ok: false, error: { code: 'invalid-argument', message: expect.stringMatching(/^getTrack: id: /) } });
    expect(await dispatch(handlers, 'getTrack', 'id=1')).toMatchObject({ ok: false, error: { code: 'invalid-argument' } });
  });

  it('passes expected failures with their code and hides nothing but stacks', async () => {
    const logged: string[] = [];
    const log = (m: string): void => void logged.push(m);
    expect(await dispatch(handlers, 'getTrack', { id: 1 }, log)).toEqual({ ok: false, error: { code: 'not-found', message: 'track 1 is not in the library' } });
    expect(await dispatch(handlers, 'getTrack', { id: 2 }, log)).toEqual({ ok: false, error: { code: 'unavailable', message: 'the library is closed' } });
    expect(await dispatch(handlers, 'getTrack', { id: 3 }, log)).toEqual({ ok: false, error: { code: 'failed', message: 'disk trouble' } });
    expect(await dispatch(handlers, 'getTrack', { id: 4 }, log)).toEqual({ ok: false, error: { code: 'failed', message: 'boom' } });
    expect(logged).toHaveLength(2);
    expect(logged[0]).toMatch(/request getTrack failed: .*disk trouble/s);
  });
});
