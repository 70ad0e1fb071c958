import { describe, expect, it } from 'vitest';
import type { LabelState } from '../../src-preload/contract';
import { finalTags, predictedTagNames, type PredictedScore } from './final-tags';
import { canonicalTag } from './tag-names';

const predicted: PredictedScore[] = [
  { tag: 'jazz', category: 'genre', score: 0.8, threshold: 0.2 },
  { tag: 'rock', category: 'genre', score: 0.3, threshold: 0.2 },
  { tag: 'blues', category: 'genre', score: 0.1, threshold: 0.2 },
  { tag: 'Mellow', category: 'descriptor', score: 0.16, threshold: 0.15 },
];
const labels = (entries: Array<[string, LabelState]>): Map<string, LabelState> => new Map(entries);

describe('finalTags', () => {
  it('is the tags at or above threshold when nobody has corrected anything', () => {
    expect(finalTags(predicted, labels([])).map((t) => t.tag)).toEqual(['jazz', 'rock', 'Mellow']);
    expect(predictedTagNames(predicted)).toEqual(['jazz', 'rock', 'Mellow']);
  });

  it('drops rejected tags, keeps accepted ones, adds added ones (model or free-form) with confidence 1', () => {
    const final = finalTags(predicted, labels([['rock', 'rejected'], ['blues', 'added'], ['jazz', 'accepted'], ['shoegaze', 'added']]));
    expect(final).toEqual([
      { tag: 'jazz', category: 'genre', score: 0.8, confidence: 1, source: 'accepted' },
      { tag: 'blues', category: 'genre', score: 0.1, confidence: 1, source: 'added' },
      { tag: 'shoegaze', category: null, score: null, confidence: 1, source: 'added' },
      { tag: 'Mellow', category: 'descriptor', score: 0.16, confidence: 0.16, source: 'model' },
    ]);
  });

  it('ignores a rejection of a tag the model never gave, and works without a prediction', () => {
    expect(finalTags(predicted, labels([['blues', 'rejected']])).map((t) => t.tag)).toEqual(['jazz', 'rock', 'Mellow']);
    expect(finalTags([], labels([['x', 'added'], ['y', 'rejected']])).map((t) => t.tag)).toEqual(['x']);
  });
});

describe('canonicalTag', () => {
  it('takes the spelling of a known tag and tidies whitespace', () => {
    expect(canonicalTag('  mellow ', ['Mellow', 'jazz'])).toBe('Mellow');
    expect(canonicalTag('hip-hop', ['Hip-Hop'])).toBe('Hip-Hop');
    expect(canonicalTag('dream   pop', ['Mellow'])).toBe('dream pop');
  });
});
