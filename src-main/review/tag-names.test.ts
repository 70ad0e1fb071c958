import { describe, expect, it } from 'vitest';
import { canonicalTag } from './tag-names';

describe('canonicalTag', () => {
  it('takes a known tag spelling whatever the case typed, after cleaning the spaces', () => {
    expect(canonicalTag('  mellow ', ['Mellow', 'jazz'])).toBe('Mellow');
    expect(canonicalTag('dream   pop', ['Mellow'])).toBe('dream pop');
  });

  it('keeps the exact spelling when two models know the word in two cases (regression: rejecting musicnn\'s "jazz" rejected AudioSet\'s "Jazz")', () => {
    expect(canonicalTag('jazz', ['Jazz', 'jazz'])).toBe('jazz');
    expect(canonicalTag('Jazz', ['jazz', 'Jazz'])).toBe('Jazz');
    expect(canonicalTag('JAZZ', ['Jazz', 'jazz'])).toBe('Jazz');
  });
});
