// The table's pages: a page whose request fails is asked for again while it is still on screen,
// instead of staying a column of placeholders until the person scrolls.
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { TrackRow } from '../../../src-preload/contract';

let failures = 0;
const asked: number[] = [];
vi.mock('../api/api', () => ({
  call: async (name: string, arg: { offset: number }) => {
    if (name !== 'queryTracks') throw new Error(`unexpected request ${name}`);
    asked.push(arg.offset);
    if (failures > 0) {
      failures--;
      throw new Error('the core is busy');
    }
    return { total: 1, offset: arg.offset, rows: [{ id: 7 } as TrackRow] };
  },
}));

const { ensureRows, loadPage, resetLibrary, setQuery, useLibrary } = await import('./library-store');

afterEach(() => {
  vi.useRealTimers();
  resetLibrary();
  asked.length = 0;
});

describe('library pages', () => {
  // Regression: under load a failed page request left the table without rows for over a minute.
  it('asks again for a visible page whose request failed, and clears the error once it loads', async () => {
    vi.useFakeTimers();
    failures = 2;
    ensureRows(0, 20);
    await vi.advanceTimersByTimeAsync(0);
    expect(useLibrary.getState().error).toBe('the core is busy');
    expect(useLibrary.getState().pages.has(0)).toBe(false);
    await vi.advanceTimersByTimeAsync(1000);
    expect(asked).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(1000);
    expect(asked).toHaveLength(3);
    expect(useLibrary.getState().pages.get(0)?.[0]?.id).toBe(7);
    expect(useLibrary.getState().error).toBeNull();
    await vi.advanceTimersByTimeAsync(5000);
    expect(asked).toHaveLength(3);
  });

  it('does not ask again for a page of a query that was replaced', async () => {
    vi.useFakeTimers();
    failures = 1;
    void loadPage(0);
    await vi.advanceTimersByTimeAsync(0);
    setQuery({ search: 'other' });
    await vi.advanceTimersByTimeAsync(0);
    const before = asked.length;
    await vi.advanceTimersByTimeAsync(3000);
    expect(asked).toHaveLength(before);
  });
});
