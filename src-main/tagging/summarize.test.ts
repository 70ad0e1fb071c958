import { describe, expect, it } from 'vitest';
import type { ModelTag } from '../inference/manifest';
import { tagsAboveThreshold, topTags, trackScores } from './summarize';

const TAGS: ModelTag[] = [
  { name: 'rock', category: 'genre', threshold: 0.2 },
  { name: 'jazz', category: 'genre', threshold: 0.2 },
  { name: 'sad', category: 'descriptor', threshold: 0.15 },
  { name: '80s', category: 'era', threshold: 0.15 },
];

describe('summarize', () => {
  it('averages the taggram over patches', () => {
    const taggram = Float32Array.from([0.1, 0.5, 0.0, 0.2, 0.3, 0.1, 0.4, 0.2]);
    expect(Array.from(trackScores(taggram, 4)).map((v) => Number(v.toFixed(6)))).toEqual([0.2, 0.3, 0.2, 0.2]);
  });

  it('keeps tags at or above their own threshold, best first, per category', () => {
    const byCat = tagsAboveThreshold(TAGS, [0.25, 0.6, 0.14, 0.15]);
    expect(byCat.genre.map((t) => t.name)).toEqual(['jazz', 'rock']);
    expect(byCat.descriptor).toEqual([]);
    expect(byCat.era.map((t) => t.name)).toEqual(['80s']);
    expect(byCat.other).toEqual([]);
  });

  it('ranks all tags for the top K regardless of threshold', () => {
    expect(topTags(TAGS, [0.25, 0.6, 0.14, 0.15], 2).map((t) => t.name)).toEqual(['jazz', 'rock']);
    expect(topTags(TAGS, [0.25, 0.6, 0.14, 0.15], 10)).toHaveLength(4);
  });
});
