import { describe, expect, it } from 'vitest';
import { cellAlpha, timeTicks } from './taggram-strip';

describe('taggram scale', () => {
  it('marks time in steps that leave room for their labels', () => {
    expect(timeTicks(30, 600)).toEqual([0, 5, 10, 15, 20, 25, 30]);
    expect(timeTicks(133, 400)).toEqual([0, 30, 60, 90, 120]);
    expect(timeTicks(3600, 300)).toEqual([0, 1200, 2400, 3600]);
    expect(timeTicks(30, 0)).toEqual([]);
  });

  it('draws cells faint below the threshold and strong above it', () => {
    expect(cellAlpha(0)).toBeCloseTo(0.05);
    expect(cellAlpha(0.5)).toBeCloseTo(0.3);
    expect(cellAlpha(1)).toBeCloseTo(1);
    expect(cellAlpha(0.49)).toBeLessThan(cellAlpha(0.51));
  });
});
