import { describe, expect, it } from 'vitest';
import type { TrackDetail } from '../../../../src-preload/contract';
import { chipStyle, groupOf, layoutTags, numberedTags, shownTags, toggleAction, type TagLayout } from './tag-logic';

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

  // Regression: pressing 3 added "rock" (below threshold), which let another tag below threshold
  // in, so the tags after it took new numbers and pressing 3 again hit a different tag.
  it('keeps each tag on its number while the track is on screen, whatever is toggled', () => {
    const first = layoutTags(detail([], ['jazz', 'happy']), null);
    const numbersOf = (layout: TagLayout) => Object.fromEntries([...layout.numbers].map(([t, n]) => [n, t]));
    const start = numbersOf(first.layout);
    expect(start).toEqual({ 1: 'jazz', 2: 'rock', 3: 'punk', 4: 'happy', 5: '80s' });
    // 3 adds punk; 1 rejects jazz; a free-form tag comes and goes.
    const added = layoutTags(detail([{ tag: 'punk', state: 'added', updatedAt: 'x' }], ['jazz', 'happy', 'punk']), first.layout);
    expect(numbersOf(added.layout)).toEqual(start);
    const rejected = layoutTags(
      detail([{ tag: 'punk', state: 'added', updatedAt: 'x' }, { tag: 'jazz', state: 'rejected', updatedAt: 'x' }, { tag: 'lo-fi', state: 'added', updatedAt: 'x' }], ['happy', 'punk', 'lo-fi']),
      added.layout,
    );
    expect(numbersOf(rejected.layout)).toEqual({ ...start, 6: 'lo-fi' });
    const cleared = layoutTags(detail([], ['jazz', 'happy']), rejected.layout);
    expect(numbersOf(cleared.layout)).toEqual({ ...start, 6: 'lo-fi' });
    const loFi = cleared.tags.find((t) => t.tag === 'lo-fi')!;
    expect(loFi).toMatchObject({ final: false, label: null, score: null });
    expect(toggleAction(loFi)).toBe('add');
    // Another track starts afresh.
    const other = layoutTags({ ...detail([], ['jazz']), row: { ...detail([], []).row, id: 2 } }, cleared.layout);
    expect(numbersOf(other.layout)).toEqual(start);
  });

  it('shows learned suggestions as learned chips: a tag of its own, or in place of the model tag it lifts', () => {
    const learned = [
      { tag: 'shoegaze', score: 0.91, threshold: 0.6, precision: 0.8, recall: 0.5 },
      { tag: 'punk', score: 0.7, threshold: 0.55, precision: 0.75, recall: 0.4 },
    ];
    const d = { ...detail([], ['jazz', 'happy']), learned };
    const tags = shownTags(d, 1);
    const shoegaze = tags.find((t) => t.tag === 'shoegaze')!;
    expect(shoegaze).toMatchObject({ learned: true, score: 0.91, threshold: 0.6, precision: 0.8, final: false, label: null, model: null });
    expect(chipStyle(shoegaze)).toBe('learned');
    expect(groupOf(shoegaze)).toBe('other');
    // "punk" is a genre the model scores 0.01: the learned score replaces it, in the genres, once.
    const punk = tags.filter((t) => t.tag === 'punk');
    expect(punk).toHaveLength(1);
    expect(punk[0]).toMatchObject({ learned: true, score: 0.7, category: 'genre' });
    // Toggling a suggestion (its number key) accepts it.
    expect(toggleAction(shoegaze)).toBe('add');
    // Predicted and labelled tags stay the model's.
    const withJazz = shownTags({ ...d, learned: [{ tag: 'jazz', score: 0.9, threshold: 0.5, precision: 1, recall: 1 }] });
    const jazz = withJazz.find((t) => t.tag === 'jazz')!;
    expect(jazz.learned).toBeFalsy();
    expect(jazz.score).toBe(0.8);
  });

  it('lets a suggestion a refit brings in take the next free number without moving the others', () => {
    const first = layoutTags(detail([], ['jazz', 'happy']), null);
    const later = layoutTags({ ...detail([], ['jazz', 'happy']), learned: [{ tag: 'shoegaze', score: 0.9, threshold: 0.6, precision: 0.8, recall: 0.5 }] }, first.layout);
    for (const [tag, n] of first.layout.numbers) expect(later.layout.numbers.get(tag)).toBe(n);
    expect(later.layout.numbers.get('shoegaze')).toBe(6);
  });
});
