// The table's queries on a small synthetic library: substring search, status and tag filters,
// sorts (missing values last), pages, and the review queue's order.
import { afterAll, describe, expect, it } from 'vitest';
import type { SortKey } from '../../src-preload/contract';
import { tempDir } from '../../test-support/fixtures';
import { openStore } from './store';
import { seedTracks, type SyntheticTrack } from '../../test-support/synthetic-library';
import { openRecording, query } from '../../test-support/library-harness';

const tmp = tempDir();
afterAll(() => tmp.cleanup());

const TRACKS: SyntheticTrack[] = [
  { path: '/m/jazz/Blue Train.mp3', title: 'Blue Train', artist: 'John Coltrane', album: 'Blue Train', durationSec: 643, scores: { jazz: 0.9, Mellow: 0.16 } },
  { path: '/m/jazz/So What.flac', title: 'So What', artist: 'Miles Davis', album: 'Kind of Blue', durationSec: 562, scores: { jazz: 0.7, Mellow: 0.5, soul: 0.25 } },
  { path: '/m/misc/untitled demo.mp3', title: null, artist: null, album: null, durationSec: null, scores: { rock: 0.3, jazz: 0.1 } },
  { path: '/m/metal/Paranoid.mp3', title: 'Paranoid', artist: 'Black Sabbath', album: 'Paranoid', durationSec: 170, scores: { metal: 0.8, rock: 0.6 } },
  { path: '/m/new/100% "quoted".mp3', title: '100% "Quoted"', artist: 'Ünïcode Band', album: 'Ä', durationSec: 200, status: 'untagged' },
  { path: '/m/bad/broken.mp3', title: 'Broken', artist: 'Zed', durationSec: 10, status: 'error' },
  { path: '/m/jazz/Naima.mp3', title: 'Naima', artist: 'John Coltrane', album: 'Giant Steps', durationSec: 261, scores: { jazz: 0.95 }, reviewedAt: '2024-01-01T00:00:00.000Z' },
  { path: '/m/pop/queued.mp3', title: 'In Line', artist: 'Queue', durationSec: 100, status: 'queued' },
];

describe('track queries', async () => {
  const data = tmp.dir;
  const db = openStore(data);
  const ids = seedTracks(db, TRACKS);
  db.close();
  const { library } = await openRecording(data, null, { runQueue: false });
  afterAll(() => library.close());
  const id = (title: string): number => ids[TRACKS.findIndex((t) => (t.title ?? t.path) === title)]!;
  const titles = (q: Parameters<typeof query>[0]) => library.queryTracks(query(q)).rows.map((r) => r.title);

  it('lists rows with the file name as title when tags have none, final tags split into genres and the rest', () => {
    const page = library.queryTracks(query());
    expect(page.total).toBe(8);
    const demo = page.rows.find((r) => r.path === '/m/misc/untitled demo.mp3')!;
    expect(demo).toMatchObject({ title: 'untitled demo', artist: null, status: 'tagged', genres: [{ tag: 'rock', score: expect.closeTo(0.3, 5) }] });
    const soWhat = page.rows.find((r) => r.id === id('So What'))!;
    expect(soWhat.genres.map((g) => g.tag)).toEqual(['jazz', 'soul']);
    expect(soWhat.descriptors.map((g) => g.tag)).toEqual(['Mellow']);
    expect(page.rows.find((r) => r.id === id('Broken'))).toMatchObject({ status: 'error', error: expect.stringContaining('not an audio file') });
  });

  it('searches substrings of title, artist, album and path, case-insensitively, every word', () => {
    expect(titles({ search: 'blue' })).toEqual(['Blue Train', 'So What']);
    expect(titles({ search: 'COLTRANE' })).toEqual(['Blue Train', 'Naima']);
    expect(titles({ search: 'misc' })).toEqual(['untitled demo']);
    expect(titles({ search: 'davis so' })).toEqual(['So What']);
    expect(titles({ search: 'coltrane giant' })).toEqual(['Naima']);
    expect(titles({ search: 'ai' })).toEqual(['Blue Train', 'Naima']);
    expect(titles({ search: '100%' })).toEqual(['100% "Quoted"']);
    expect(titles({ search: '"quoted"' })).toEqual(['100% "Quoted"']);
    expect(titles({ search: '%' })).toEqual(['100% "Quoted"']);
    expect(titles({ search: 'ünïcode' })).toEqual(['100% "Quoted"']);
    expect(titles({ search: 'nothing like this' })).toEqual([]);
  });

  // Regression: searching "jazz" did not find the tracks tagged jazz.
  it('finds tracks by their final tags, as they change', () => {
    expect(titles({ search: 'rock' })).toEqual(['untitled demo', 'Paranoid']);
    expect(titles({ search: 'MELLOW' })).toEqual(['Blue Train', 'So What']);
    expect(titles({ search: 'coltrane mellow' })).toEqual(['Blue Train']);
    library.label({ trackIds: [id('Broken')], action: 'add', tag: 'late night' });
    library.label({ trackIds: [id('Paranoid')], action: 'reject', tag: 'rock' });
    expect(titles({ search: 'late night' })).toEqual(['Broken']);
    expect(titles({ search: 'rock' })).toEqual(['untitled demo']);
    library.undo();
    library.undo();
    expect(titles({ search: 'rock' })).toEqual(['untitled demo', 'Paranoid']);
    expect(titles({ search: 'late' })).toEqual([]);
  });

  it('filters by status, reviewed being its own status', () => {
    expect(titles({ statuses: ['reviewed'] })).toEqual(['Naima']);
    expect(titles({ statuses: ['untagged', 'queued', 'error'] })).toEqual(['100% "Quoted"', 'Broken', 'In Line']);
    expect(library.queryTracks(query({ statuses: ['tagged'] })).total).toBe(4);
  });

  it('filters by a final tag with a minimum confidence (typed in any case)', () => {
    expect(titles({ tag: 'jazz' })).toEqual(['Blue Train', 'So What', 'Naima']);
    expect(titles({ tag: 'jazz', minConfidence: 0.8 })).toEqual(['Blue Train', 'Naima']);
    expect(titles({ tag: 'mellow' })).toEqual(['Blue Train', 'So What']);
    expect(titles({ tag: 'Mellow', minConfidence: 0.3, search: 'miles' })).toEqual(['So What']);
    // A rejected tag is no longer a final tag; an added one counts with confidence 1.
    library.label({ trackIds: [id('Blue Train')], action: 'reject', tag: 'jazz' });
    library.label({ trackIds: [id('Paranoid')], action: 'add', tag: 'jazz' });
    expect(titles({ tag: 'jazz', minConfidence: 0.8 })).toEqual(['Paranoid', 'Naima']);
    library.undo();
    library.undo();
  });

  const order = (sort: SortKey, descending = false) => titles({ sort, descending });

  it('sorts by every key, missing values last either way, ties by when added', () => {
    expect(order('title')).toEqual(['100% "Quoted"', 'Blue Train', 'Broken', 'In Line', 'Naima', 'Paranoid', 'So What', 'untitled demo']);
    expect(order('title', true)).toEqual(['untitled demo', 'So What', 'Paranoid', 'Naima', 'In Line', 'Broken', 'Blue Train', '100% "Quoted"']);
    expect(order('artist')).toEqual(['Paranoid', 'Blue Train', 'Naima', 'So What', 'In Line', 'Broken', '100% "Quoted"', 'untitled demo']);
    expect(order('artist', true).at(-1)).toBe('untitled demo');
    expect(order('duration')).toEqual(['Broken', 'In Line', 'Paranoid', '100% "Quoted"', 'Naima', 'So What', 'Blue Train', 'untitled demo']);
    expect(order('duration', true)).toEqual(['Blue Train', 'So What', 'Naima', '100% "Quoted"', 'Paranoid', 'In Line', 'Broken', 'untitled demo']);
    expect(order('added')).toEqual(TRACKS.map((t) => t.title ?? 'untitled demo'));
    expect(order('added', true)).toEqual(TRACKS.map((t) => t.title ?? 'untitled demo').reverse());
    expect(order('status').slice(0, 2)).toEqual(['Broken', 'In Line']);
    // Nearest a threshold first: Blue Train's Mellow is 0.01 from its threshold.
    expect(order('uncertainty')[0]).toBe('Blue Train');
    expect(order('uncertainty').slice(-3).sort()).toEqual(['100% "Quoted"', 'Broken', 'In Line']);
  });

  it('pages, and lists every id in the same order', () => {
    const q = { sort: 'title' as const, descending: true };
    const all = library.trackIds(query(q));
    const page = library.queryTracks(query({ ...q, offset: 2, limit: 3 }));
    expect(page).toMatchObject({ total: 8, offset: 2 });
    expect(page.rows.map((r) => r.id)).toEqual(all.slice(2, 5));
    const searched = library.queryTracks(query({ search: 'coltrane', offset: 1, limit: 5 }));
    expect(searched).toMatchObject({ total: 2, offset: 1, rows: [expect.objectContaining({ title: 'Naima' })] });
  });

  it('orders the review queue by uncertainty over tagged, unreviewed tracks', () => {
    const queue = library.reviewQueue({ limit: 10 });
    expect(queue).not.toContain(id('Naima'));
    expect(queue).toHaveLength(4);
    expect(queue[0]).toBe(id('Blue Train'));
    expect(library.reviewQueue({ limit: 2 })).toEqual(queue.slice(0, 2));
    // The table's review mode is the same queue.
    const page = library.queryTracks(query({ sort: 'uncertainty', toReview: true, offset: 0, limit: 10 }));
    expect(page.rows.map((r) => r.id)).toEqual(queue);
  });
});
