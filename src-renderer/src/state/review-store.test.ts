// The track view's detail follows the focus even when change events for the previous track arrive
// while the next one is still loading (the "mark reviewed and advance" flow).
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { TrackDetail } from '../../../src-preload/contract';

interface Pending {
  readonly id: number;
  readonly resolve: (detail: TrackDetail) => void;
}
const pending: Pending[] = [];
const asked: number[] = [];

vi.mock('../api/api', () => ({
  call: (name: string, arg: { id: number }) => {
    if (name !== 'getTrack') throw new Error(`unexpected request ${name}`);
    asked.push(arg.id);
    return new Promise<TrackDetail>((resolve) => pending.push({ id: arg.id, resolve }));
  },
}));

const { loadDetail, refreshDetailIfWanted, useReview } = await import('./review-store');

const detailOf = (id: number): TrackDetail => ({ row: { id } }) as unknown as TrackDetail;

/** Answers every request still out, oldest first. */
async function answerAll(): Promise<void> {
  while (pending.length > 0) {
    const next = pending.shift()!;
    next.resolve(detailOf(next.id));
    await Promise.resolve();
  }
  await new Promise((r) => setTimeout(r, 0));
}

beforeEach(async () => {
  pending.length = 0;
  asked.length = 0;
  await loadDetail(null);
});

describe('track detail', () => {
  it('stays on the newly focused track when the previous one changes while it loads', async () => {
    const first = loadDetail(1);
    await answerAll();
    await first;
    expect(useReview.getState().detail?.row.id).toBe(1);

    // Focus moves to track 2; before its detail arrives, a change event names track 1.
    void loadDetail(2);
    refreshDetailIfWanted([1]);
    await answerAll();
    expect(asked).toEqual([1, 2]);
    expect(useReview.getState().detail?.row.id).toBe(2);
  });

  it('reloads the wanted track when it changes, even before its first answer', async () => {
    void loadDetail(3);
    refreshDetailIfWanted([3]);
    await answerAll();
    expect(asked).toEqual([3, 3]);
    expect(useReview.getState().detail?.row.id).toBe(3);
  });

  it('ignores changes to tracks not shown', async () => {
    void loadDetail(4);
    await answerAll();
    refreshDetailIfWanted([5, 6]);
    expect(asked).toEqual([4]);
  });
});
