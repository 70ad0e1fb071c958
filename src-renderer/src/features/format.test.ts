import { describe, expect, it } from 'vitest';
import { formatClock, plural } from './format';

describe('formatClock', () => {
  // Regression: the table rounded a length and the player cut it, so 49.6 s showed as 0:50 and 0:49.
  it('gives one answer for a length wherever it is shown', () => {
    expect(formatClock(49.6)).toBe('0:50');
    expect(formatClock(49.4)).toBe('0:49');
    expect(formatClock(0)).toBe('0:00');
    expect(formatClock(3599.5)).toBe('1:00:00');
    expect(formatClock(3725)).toBe('1:02:05');
    expect(formatClock(null)).toBe('');
    expect(formatClock(Number.NaN)).toBe('');
  });

  it('counts with the right plural', () => {
    expect(plural(1, 'track')).toBe('1 track');
    expect(plural(2, 'track')).toBe('2 tracks');
  });
});
