import { describe, expect, it } from 'vitest';
import { compareToThreshold, describeMinimum, relativeConfidence, scoreAt } from './confidence';

describe('relative confidence', () => {
  it('puts every threshold at the middle of the scale', () => {
    expect(relativeConfidence(0.2, 0.2)).toBe(0.5);
    expect(relativeConfidence(0.15, 0.15)).toBe(0.5);
    expect(relativeConfidence(0, 0.2)).toBe(0);
    expect(relativeConfidence(1, 0.2)).toBe(1);
    expect(relativeConfidence(0.1, 0.2)).toBeCloseTo(0.25);
    expect(relativeConfidence(0.6, 0.2)).toBeCloseTo(0.75);
    expect(relativeConfidence(1.4, 0.2)).toBe(1);
  });

  it('turns a point of the scale back into a score', () => {
    for (const t of [0.05, 0.15, 0.2, 0.5]) {
      for (const s of [0, 0.01, 0.1, t, 0.3, 0.9, 1]) expect(scoreAt(relativeConfidence(s, t), t)).toBeCloseTo(s, 9);
    }
  });
});

describe('compareToThreshold', () => {
  // Regression: 0.1996 against 0.20 showed as "0.20 (threshold 0.20)", not predicted, with no visible reason.
  it('shows enough decimals to see which side of the threshold a score is', () => {
    expect(compareToThreshold(0.1996, 0.2)).toEqual({ score: '0.1996', threshold: '0.2000', relation: '<' });
    expect(compareToThreshold(0.20004, 0.2)).toEqual({ score: '0.20004', threshold: '0.20000', relation: '≥' });
    expect(compareToThreshold(0.2, 0.2)).toEqual({ score: '0.20', threshold: '0.20', relation: '≥' });
    expect(compareToThreshold(0.31, 0.2)).toEqual({ score: '0.31', threshold: '0.20', relation: '≥' });
    expect(compareToThreshold(0.12, 0.15)).toEqual({ score: '0.12', threshold: '0.15', relation: '<' });
  });
});

describe('describeMinimum', () => {
  it('reads the filter on the same scale as the bars', () => {
    expect(describeMinimum(0, 0.2)).toBe('any score');
    expect(describeMinimum(0.5, 0.2)).toBe('at its threshold (≥ 0.20)');
    expect(describeMinimum(0.75, 0.2)).toBe('≥ 0.60 (above its 0.20 threshold)');
    expect(describeMinimum(0.25, 0.2)).toBe('≥ 0.10 (below its 0.20 threshold)');
    expect(describeMinimum(0.8, null)).toBe('≥ 0.80');
  });
});
