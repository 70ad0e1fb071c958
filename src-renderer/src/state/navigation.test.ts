// The keyboard review flow against a small in-memory core that answers like the real one (after a
// delay, filtering reviewed tracks out of the review queue): the focus follows its track, a review
// advances to the track that came after it in any order, and quick key presses are applied in turn.
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { LabelState, TrackDetail, TrackQuery, TrackRow, TrackStatus } from '../../../src-preload/contract';

interface FakeTrack {
  id: number;
  title: string;
  status: TrackStatus;
  labels: Map<string, LabelState>;
}

const PREDICTED = [
  { tag: 'rock', score: 0.8, threshold: 0.5, category: 'genre' as const },
  { tag: 'calm', score: 0.7, threshold: 0.5, category: 'descriptor' as const },
];
let tracks: FakeTrack[] = [];
const sent: string[] = [];

function finalTags(t: FakeTrack): string[] {
  const out = PREDICTED.filter((p) => t.labels.get(p.tag) !== 'rejected').map((p) => p.tag);
  for (const [tag, state] of t.labels) if (state !== 'rejected' && !out.includes(tag)) out.push(tag);
  return out;
}

function rowOf(t: FakeTrack): TrackRow {
  const final = finalTags(t);
  return {
    id: t.id,
    title: t.title,
    artist: null,
    album: null,
    durationSec: 60,
    status: t.status,
    error: null,
    genres: final.filter((f) => f === 'rock').map((tag) => ({ tag, score: 0.8 })),
    descriptors: final.filter((f) => f === 'calm').map((tag) => ({ tag, score: 0.7 })),
    others: [],
    needsReview: false,
    path: null,
  } as TrackRow;
}

function detailOf(t: FakeTrack): TrackDetail {
  return {
    row: rowOf(t),
    files: [],
    peaks: [],
    prediction: { modelId: 'm', modelVersion: '1', provider: 'cpu', createdAt: '', patchSec: 3, tags: PREDICTED, taggram: { tags: [], rows: [] } },
    labels: [...t.labels].map(([tag, state]) => ({ tag, state, updatedAt: '' })),
    finalTags: finalTags(t),
    reviewedAt: t.status === 'reviewed' ? 'now' : null,
    learned: [],
  } as TrackDetail;
}

function matching(q: TrackQuery): FakeTrack[] {
  const found = tracks.filter((t) => (!q.toReview || t.status !== 'reviewed') && (!q.statuses?.length || q.statuses.includes(t.status)) && (!q.search || t.title.includes(q.search)));
  // The review queue puts tracks whose tags a person settled later (they are less in doubt).
  return q.toReview ? found.sort((x, y) => x.labels.size - y.labels.size || x.id - y.id) : found;
}

const outcome = (ids: readonly number[]) => ({
  tracks: tracks.filter((t) => ids.includes(t.id)).map(rowOf),
  history: { canUndo: true, canRedo: false, undoLabel: null, redoLabel: null },
});

/** A refresh of the table that is already out when a change is written (as after an event). */
let refreshOutBeforeWrites = false;

/** Reads or writes when the request arrives and answers after a delay, as a transport does. */
async function answer(name: string, arg: never): Promise<unknown> {
  const value = handle(name, arg);
  await new Promise((r) => setTimeout(r, name === 'getTrack' ? 8 : 3));
  return value;
}

function handle(name: string, arg: never): unknown {
  if (name === 'queryTracks') {
    const q = arg as TrackQuery & { offset: number; limit: number };
    const all = matching(q);
    return { total: all.length, offset: q.offset, rows: all.slice(q.offset, q.offset + q.limit).map(rowOf) };
  }
  if (name === 'getTrack') return detailOf(tracks.find((t) => t.id === (arg as { id: number }).id)!);
  if (refreshOutBeforeWrites) void library.refreshLoaded();
  if (name === 'setReviewed') {
    const { trackIds, reviewed } = arg as { trackIds: number[]; reviewed: boolean };
    sent.push(`reviewed ${trackIds.join(',')}`);
    for (const t of tracks) if (trackIds.includes(t.id)) t.status = reviewed ? 'reviewed' : 'tagged';
    return outcome(trackIds);
  }
  if (name === 'label') {
    const { trackIds, action, tag } = arg as { trackIds: number[]; action: string; tag: string };
    sent.push(`${action} ${tag} on ${trackIds.join(',')}`);
    for (const t of tracks.filter((x) => trackIds.includes(x.id))) {
      if (action === 'clear') t.labels.delete(tag);
      else t.labels.set(tag, action === 'reject' ? 'rejected' : action === 'add' ? 'added' : 'accepted');
    }
    return outcome(trackIds);
  }
  throw new Error(`unexpected request ${name}`);
}

vi.mock('../api/api', () => ({ call: (name: string, arg: never) => answer(name, arg) }));
vi.mock('./notice-store', () => ({
  notify: (level: string, message: string) => {
    throw new Error(`unexpected notice (${level}): ${message}`);
  },
}));

const library = await import('./library-store');
const navigation = await import('./navigation');
const review = await import('./review-store');
const selection = await import('./selection-store');

/** Loads the table as the view does (every row visible) and waits for the rows. */
async function showTable(): Promise<void> {
  library.ensureRows(0, 20);
  await vi.waitFor(() => expect(library.rowAt(0)).toBeDefined());
}

/** Focuses the track with this title, as a click does, and waits for its detail. */
async function focus(title: string): Promise<number> {
  const index = library.useLibrary.getState().pages.get(0)!.findIndex((r) => r.title === title);
  const id = library.rowAt(index)!.id;
  selection.focusTrack(index, id);
  await vi.waitFor(() => expect(review.useReview.getState().detail?.row.id).toBe(id));
  return id;
}

const focusedTitle = (): string | undefined => tracks.find((t) => t.id === selection.useSelection.getState().focusedId)?.title;
const shownTitle = (): string | undefined => review.useReview.getState().detail?.row.title;
const titlesShown = (): string[] => (library.useLibrary.getState().pages.get(0) ?? []).map((r) => r.title);

beforeEach(async () => {
  tracks = ['a', 'b', 'c', 'd'].map((title, i) => ({ id: i + 1, title, status: 'tagged' as TrackStatus, labels: new Map() }));
  sent.length = 0;
  refreshOutBeforeWrites = false;
  selection.resetSelection();
  library.resetLibrary();
  await review.loadDetail(null);
});

describe('keyboard review', () => {
  it('in the review queue, "reviewed, next" lands on the track that followed, not on the reviewed one', async () => {
    library.setMode('review');
    await showTable();
    await focus('b');
    refreshOutBeforeWrites = true;
    await navigation.reviewAndAdvance(() => review.markReviewed([2], true));
    expect(titlesShown()).toEqual(['a', 'c', 'd']);
    expect(focusedTitle()).toBe('c');
    expect(selection.useSelection.getState().focusedIndex).toBe(1);
    await vi.waitFor(() => expect(shownTitle()).toBe('c'));
  });

  // Regression: a correction moved the track down the review queue, and "reviewed, next" then went
  // on from its new place, skipping the tracks it had passed.
  it('in the review queue, goes on to the track that followed when the reviewer got there, after corrections re-sorted it', async () => {
    library.setMode('review');
    await showTable();
    const a = await focus('a');
    await review.labelTracks([a], 'accept', 'rock');
    await library.refreshLoaded();
    expect(titlesShown()).toEqual(['b', 'c', 'd', 'a']);
    expect(focusedTitle()).toBe('a');
    await navigation.reviewAndAdvance(() => review.markReviewed([a], true));
    expect(titlesShown()).toEqual(['b', 'c', 'd']);
    expect(focusedTitle()).toBe('b');
  });

  it('with a status filter that hides reviewed tracks, no track is skipped', async () => {
    library.setQuery({ statuses: ['tagged'] });
    await showTable();
    await focus('a');
    await navigation.reviewAndAdvance(() => review.markReviewed([1], true));
    expect(focusedTitle()).toBe('b');
    await navigation.reviewAndAdvance(() => review.markReviewed([2], true));
    expect(focusedTitle()).toBe('c');
    expect(titlesShown()).toEqual(['c', 'd']);
  });

  it('in library order moves one row down, and stays on the last track at the end', async () => {
    await showTable();
    await focus('c');
    await navigation.reviewAndAdvance(() => review.markReviewed([3], true));
    expect(focusedTitle()).toBe('d');
    await navigation.reviewAndAdvance(() => review.markReviewed([4], true));
    expect(focusedTitle()).toBe('d');
    expect(tracks.map((t) => t.status)).toEqual(['tagged', 'tagged', 'reviewed', 'reviewed']);
  });

  it('keeps the focus on its track through a new query, and narrows the selection to it', async () => {
    await showTable();
    await focus('a');
    const c = library.rowAt(2)!.id;
    selection.toggleTrack(2, c); // Ctrl-click on c: a and c selected, c focused
    expect([...selection.useSelection.getState().selected].sort()).toEqual([1, c]);
    library.setQuery({ search: 'c' });
    expect([...selection.useSelection.getState().selected]).toEqual([c]);
    expect(selection.useSelection.getState().focusedIndex).toBeNull();
    await vi.waitFor(() => expect(titlesShown()).toEqual(['c']));
    expect(selection.useSelection.getState().focusedIndex).toBe(0);
    // From there j goes to the next row of the new table (there is none: it stays).
    await navigation.step(1);
    expect(focusedTitle()).toBe('c');
  });

  it('a number pressed twice quickly takes the first press back', async () => {
    await showTable();
    const a = await focus('a');
    const pickFirst = (d: TrackDetail) => (d.finalTags.includes('rock') ? { action: 'reject' as const, tag: 'rock' } : { action: 'clear' as const, tag: 'rock' });
    const first = review.toggleTag(a, [a], pickFirst);
    const second = review.toggleTag(a, [a], pickFirst);
    expect(await Promise.all([first, second])).toEqual([true, true]);
    expect(sent).toEqual(['reject rock on 1', 'clear rock on 1']);
    expect(review.useReview.getState().detail?.finalTags).toContain('rock');
    expect(review.useReview.getState().saving).toBe(false);
  });

  it('a number pressed right after moving on acts on the new track, judged by its own tags', async () => {
    await showTable();
    await focus('a');
    tracks[1]!.labels.set('rock', 'rejected');
    await navigation.step(1);
    const b = selection.useSelection.getState().focusedId!;
    expect(b).toBe(2);
    expect(shownTitle()).toBe('a'); // b's detail is still on its way
    await review.toggleTag(b, [b], (d) => (d.finalTags.includes('rock') ? { action: 'reject', tag: 'rock' } : { action: 'clear', tag: 'rock' }));
    expect(sent).toEqual(['clear rock on 2']);
    expect(shownTitle()).toBe('b');
  });
});
