// Learned tags through the library, as the app uses them: corrections start a refit in the worker,
// suggestions show in the track view and the table filter, "accept all above X" with its preview
// and undo, renaming and merging tags, switching a tag off, "more like this".
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LearningStatus } from '../../src-preload/contract';
import { seedClusteredLibrary } from '../../test-support/clustered-library';
import { tempDir } from '../../test-support/fixtures';
import { openRecording, query, waitFor, type RecordedEvent } from '../../test-support/library-harness';
import type { Library } from '../library/library';
import { openStore } from '../library/store';

const tmp = tempDir();
afterAll(() => tmp.cleanup());

describe('learned tags in the library', () => {
  const data = join(tmp.dir, 'data');
  let seeded: ReturnType<typeof seedClusteredLibrary>;
  let library: Library;
  let events: RecordedEvent[];

  beforeAll(async () => {
    const { mkdirSync } = await import('node:fs');
    mkdirSync(data);
    seeded = seedClusteredLibrary(data);
    ({ library, events } = await openRecording(data, null, { runQueue: false, learn: true }));
  });
  afterAll(() => library.close());

  const lastRefit = (): LearningStatus['lastRefit'] => library.learnedTags().status.lastRefit;

  it('learns a tag a moment after three tracks get it and a few are reviewed, off the main thread', async () => {
    library.label({ trackIds: seeded.of('A', 3), action: 'add', tag: 'shoegaze' });
    library.setReviewed({ trackIds: [...seeded.of('B', 2), ...seeded.of('C', 2)], reviewed: true });
    expect(library.learnedTags().status.state).toBe('waiting');
    await waitFor(() => lastRefit() !== null, 'the first refit', 20_000);
    const view = library.learnedTags();
    const tag = view.tags.find((t) => t.tag === 'shoegaze')!;
    expect(tag).toMatchObject({ status: 'learned', positives: 3, negatives: 4, positivesNeeded: 0, modelTag: false, space: 'synthetic@1' });
    expect(tag.suggested).toBeGreaterThanOrEqual(50);
    expect(view.status).toMatchObject({ state: 'idle', space: 'synthetic@1', embeddings: 180, problem: null });
    expect(view.status.lastRefit!.added).toBeGreaterThanOrEqual(50);
    expect(events.some((e) => e.event === 'learning')).toBe(true);
  });

  it('shows suggestions on a track and filters the table by them, never as final tags', () => {
    const candidate = seeded.of('A', 1, 20)[0]!;
    const detail = library.getTrack({ id: candidate });
    expect(detail.learned.map((l) => l.tag)).toEqual(['shoegaze']);
    expect(detail.learned[0]!.score).toBeGreaterThanOrEqual(detail.learned[0]!.threshold);
    expect(detail.learned[0]!.precision).toBeGreaterThanOrEqual(0.5);
    expect(detail.finalTags).not.toContain('shoegaze');
    const filtered = library.queryTracks(query({ learnedTag: 'shoegaze', limit: 1000 }));
    expect(filtered.total).toBe(library.learnedTags().tags.find((t) => t.tag === 'shoegaze')!.suggested);
    expect(filtered.rows.every((r) => r.title.endsWith('(A)'))).toBe(true);
    // The examples themselves already carry the tag: not suggested again.
    expect(filtered.rows.map((r) => r.id)).not.toContain(seeded.of('A', 1)[0]);
    expect(library.learnedTagExamples({ tag: 'shoegaze', limit: 100 }).positives.map((r) => r.id)).toEqual(seeded.of('A', 3));
  });

  it('accepting or rejecting a suggestion records the learned score and feeds the next refit', async () => {
    const [accepted, rejected] = seeded.of('A', 2, 30);
    const score = library.getTrack({ id: accepted! }).learned[0]!.score;
    const before = lastRefit()!.at;
    library.label({ trackIds: [accepted!], action: 'accept', tag: 'shoegaze' });
    library.label({ trackIds: [rejected!], action: 'reject', tag: 'shoegaze' });
    expect(library.getTrack({ id: accepted! }).finalTags).toContain('shoegaze');
    await waitFor(() => lastRefit()!.at !== before, 'a refit after the corrections', 20_000);
    const tag = library.learnedTags().tags.find((t) => t.tag === 'shoegaze')!;
    expect(tag).toMatchObject({ positives: 4, negatives: 5 });
    const db = openStore(data, { migrate: false });
    const stored = db.prepare('SELECT learned_score FROM labels WHERE track_id = ? AND tag = ?').pluck().get(accepted, 'shoegaze') as number;
    db.close();
    expect(stored).toBeCloseTo(score, 6);
  });

  it('"accept all above X" previews a count, accepts as one step, and undoes in one', () => {
    const tag = library.learnedTags().tags.find((t) => t.tag === 'shoegaze')!;
    expect(library.acceptLearned({ tag: 'shoegaze', minScore: tag.threshold!, apply: false }).count).toBe(tag.suggested);
    // Above a higher bar: fewer tracks, all of them scoring at least that.
    const scores = library.queryTracks(query({ learnedTag: 'shoegaze' })).rows.map((r) => library.getTrack({ id: r.id }).learned[0]!.score);
    const bar = scores.sort((a, b) => a - b)[Math.floor(scores.length / 2)]!;
    const preview = library.acceptLearned({ tag: 'shoegaze', minScore: bar, apply: false });
    expect(preview.outcome).toBeNull();
    expect(preview.count).toBe(scores.filter((s) => s >= bar).length);
    expect(preview.count).toBeLessThan(tag.suggested);
    const applied = library.acceptLearned({ tag: 'shoegaze', minScore: bar, apply: true });
    expect(applied.count).toBe(preview.count);
    expect(applied.outcome!.history.undoLabel).toBe(`Accept "shoegaze" on ${preview.count} tracks`);
    expect(library.acceptLearned({ tag: 'shoegaze', minScore: bar, apply: false }).count).toBe(0);
    library.undo();
    expect(library.acceptLearned({ tag: 'shoegaze', minScore: bar, apply: false }).count).toBe(preview.count);
  });

  it('finds the tracks most like a track, its own cluster first', async () => {
    const seed = seeded.of('B', 1, 7)[0]!;
    const similar = await library.similarTracks({ trackId: seed, limit: 20 });
    expect(similar.space).toBe('synthetic@1');
    expect(similar.results).toHaveLength(20);
    expect(similar.results.map((r) => r.row.id)).not.toContain(seed);
    expect(similar.results.every((r) => r.row.title.endsWith('(B)'))).toBe(true);
    const scores = similar.results.map((r) => r.score);
    expect([...scores].sort((a, b) => b - a)).toEqual(scores);
    expect(scores[0]).toBeLessThanOrEqual(1);
    // Apply a tag to the ones chosen, in one undoable step.
    const chosen = similar.results.slice(0, 5).map((r) => r.row.id);
    expect(library.label({ trackIds: chosen, action: 'add', tag: 'post-rock' }).history.undoLabel).toBe('Add "post-rock" on 5 tracks');
  });

  it('renames a tag people added (undoably), refuses to rename a model tag, merges into one that exists', async () => {
    library.label({ trackIds: seeded.of('C', 4), action: 'add', tag: 'shogaze' });
    const renamed = library.renameTag({ from: 'shogaze', to: 'dreamy' });
    expect(renamed.history.undoLabel).toBe('Rename "shogaze" to "dreamy" on 4 tracks');
    expect(library.getTrack({ id: seeded.of('C', 1)[0]! }).finalTags).toContain('dreamy');
    expect(library.vocabulary().user).toContain('dreamy');
    expect(library.vocabulary().user).not.toContain('shogaze');
    library.undo();
    expect(library.getTrack({ id: seeded.of('C', 1)[0]! }).finalTags).toContain('shogaze');
    library.redo();
    const merged = library.renameTag({ from: 'dreamy', to: 'post-rock' });
    expect(merged.history.undoLabel).toBe('Merge "dreamy" into "post-rock" on 4 tracks');
    expect(() => library.renameTag({ from: 'rock', to: 'rawk' })).toThrow(/tag of the model/);
  });

  it('switching a tag off removes its suggestions at once and keeps the setting', async () => {
    const view = await library.setLearnedTagEnabled({ tag: 'shoegaze', enabled: false });
    expect(view.tags.find((t) => t.tag === 'shoegaze')).toMatchObject({ enabled: false, status: 'off', suggested: 0 });
    expect(library.getTrack({ id: seeded.of('A', 1, 40)[0]! }).learned).toEqual([]);
    const on = await library.setLearnedTagEnabled({ tag: 'shoegaze', enabled: true });
    expect(on.tags.find((t) => t.tag === 'shoegaze')).toMatchObject({ enabled: true, status: 'learned' });
    expect(on.tags.find((t) => t.tag === 'shoegaze')!.suggested).toBeGreaterThan(0);
  });
});
