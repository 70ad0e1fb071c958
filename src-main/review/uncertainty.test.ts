import { describe, expect, it } from 'vitest';
import type { PredictedScore } from './final-tags';
import { compareForReview, uncertainty } from './uncertainty';

const p = (tag: string, score: number, threshold = 0.2): PredictedScore => ({ tag, category: 'genre', score, threshold });

describe('uncertainty', () => {
  it('is the smallest distance of any score to its threshold, skipping labelled tags', () => {
    const tags = [p('a', 0.9), p('b', 0.23), p('c', 0.1)];
    expect(uncertainty(tags, new Set())).toBeCloseTo(0.03);
    expect(uncertainty(tags, new Set(['b']))).toBeCloseTo(0.1);
    expect(uncertainty(tags, new Set(['a', 'b', 'c']))).toBeNull();
    expect(uncertainty([], new Set())).toBeNull();
  });

  it('orders the most uncertain first, nothing-to-doubt last, ties by id', () => {
    const rows = [
      { id: 4, uncertainty: null },
      { id: 3, uncertainty: 0.2 },
      { id: 1, uncertainty: 0.01 },
      { id: 2, uncertainty: 0.2 },
    ];
    expect(rows.sort(compareForReview).map((r) => r.id)).toEqual([1, 2, 3, 4]);
  });
});
