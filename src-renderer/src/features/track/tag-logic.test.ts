import { describe, expect, it } from 'vitest';
import type { TrackDetail } from '../../../../src-preload/contract';
import { groupOf, numberedTags, shownTags, toggleAction } from './tag-logic';

const detail = (labels: TrackDetail['labels'], finalTags: string[]): TrackDetail => ({
  row: { id: 1, title: 't', artist: null, album: null, durationSec: 30, status: 'tagged', error: null, genres: [], descriptors: [], others: [], needsReview: false, path: null },
  files: [],
  peaks: [],
  prediction: {
    modelId: 'm', modelVersion: '1', provider: 'cpu', createdAt: '2026-01-01T00:00:00Z', patchSec: 3,
    tags: [
      { tag: 'jazz', category: 'genre', score: 0.8, threshold: 0.2 },
      { tag: 'happy', category: 'descriptor', score: 0.3, threshold: 0.15 },
      { tag: 'rock', category: 'genre', score: 0.1, threshold: 0.2 },
      { tag: '80s', category: 'era', score: 0.05, threshold: 0.15 },
      { tag: 'punk', category: 'genre', score: 0.01, threshold: 0.2 },
    ],
    taggram: { tags: [], rows: [] },
  },
  labels,
  finalTags,
  reviewedAt: null,
  learned: [],
});

describe('tag logic', () => {
  it('shows predicted and labelled tags plus the best below threshold in each group', () => {
    const tags = shownTags(detail([{ tag: 'lo-fi', state: 'added', updatedAt: 'x' }], ['jazz', 'happy', 'lo-fi']), 1);
    expect(tags.map((t) => t.tag)).toEqual(['jazz', 'happy', 'rock', '80s', 'lo-fi']);
    expect(tags.map(groupOf)).toEqual(['genres', 'descriptors', 'genres', 'other', 'other']);
    expect(numberedTags(tags).map((t) => t.tag)).toEqual(['jazz', 'rock', 'happy', '80s', 'lo-fi']);
  });

  it('toggles a tag in or out of the final set with the right action', () => {
    const tags = shownTags(detail([{ tag: 'happy', state: 'rejected', updatedAt: 'x' }, { tag: 'rock', state: 'added', updatedAt: 'x' }], ['jazz', 'rock']));
    const byName = (n: string) => tags.find((t) => t.tag === n)!;
    expect(toggleAction(byName('jazz'))).toBe('reject');
    expect(toggleAction(byName('happy'))).toBe('clear');
    expect(toggleAction(byName('rock'))).toBe('clear');
    expect(toggleAction(byName('80s'))).toBe('add');
  });
});
