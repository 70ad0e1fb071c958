// Refits over a store: examples from corrections, fits written atomically with their scores, the
// review-queue key, tags with too few examples, unlearnable tags, switched-off tags, another
// backbone's embeddings kept apart.
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { tempDir } from '../../test-support/fixtures';
import { CLUSTER_DIM, clusteredTracks } from '../../test-support/clustered-library';
import { seedTracks } from '../../test-support/synthetic-library';
import { float32Blob } from '../library/blobs';
import { ModelRegistry, nowIso, openStore, type Db } from '../library/store';
import { TrackSummaries } from '../library/summary';
import { learnedTag, learnedTags } from './learned-store';
import { Learner } from './learner';

const tmp = tempDir();
afterAll(() => tmp.cleanup());

const D = CLUSTER_DIM;

let n = 0;
function freshStore(): { db: Db; ids: number[]; cluster: string[] } {
  const db = openStore(tempDir(`eno-learn-${n++}-`).dir);
  const { tracks, cluster } = clusteredTracks();
  const ids = seedTracks(db, tracks);
  return { db, ids, cluster };
}

function label(db: Db, trackIds: readonly number[], tag: string, state: 'added' | 'accepted' | 'rejected'): void {
  const summaries = new TrackSummaries(db, new ModelRegistry(db));
  for (const id of trackIds) {
    db.prepare('INSERT OR REPLACE INTO labels (track_id, tag, state, updated_at) VALUES (?, ?, ?, ?)').run(id, tag, state, nowIso());
    summaries.refresh(id);
  }
}

function review(db: Db, trackIds: readonly number[]): void {
  for (const id of trackIds) db.prepare('UPDATE tracks SET reviewed_at = ? WHERE id = ?').run(nowIso(), id);
}

function suggested(db: Db, tag: string): number[] {
  return db
    .prepare('SELECT s.track_id FROM learned_scores s JOIN learned_tags t ON t.tag = s.tag WHERE s.tag = ? AND s.score >= t.threshold ORDER BY s.track_id')
    .pluck()
    .all(tag) as number[];
}

describe('Learner', () => {
  let s: ReturnType<typeof freshStore>;
  beforeEach(() => {
    s = freshStore();
  });

  const of = (c: string, count: number, skip = 0): number[] => s.ids.filter((_, i) => s.cluster[i] === c).slice(skip, skip + count);

  it('learns a new tag from three examples and suggests it on the rest of its cluster', () => {
    label(s.db, of('A', 3), 'shoegaze', 'added');
    review(s.db, [...of('B', 2), ...of('C', 2)]);
    const report = new Learner(s.db).refit();
    expect(report).toMatchObject({ space: 'synthetic@1', embeddings: 180, learned: 1, problem: null });
    const tag = learnedTag(s.db, 'shoegaze')!;
    expect(tag).toMatchObject({ status: 'learned', positives: 3, negatives: 4, space: 'synthetic@1', enabled: true });
    expect(tag.precision).toBeGreaterThanOrEqual(0.5);
    expect(tag.auc).toBeGreaterThan(0.9);
    const got = suggested(s.db, 'shoegaze');
    const clusterA = new Set(of('A', 60));
    const hits = got.filter((id) => clusterA.has(id)).length;
    expect(hits).toBeGreaterThanOrEqual(50);
    expect(got.length - hits).toBeLessThanOrEqual(5);
    expect(report.added).toBe(got.length);
    // The examples it was fitted on are kept as track identities (content hashes).
    const stored = JSON.parse(s.db.prepare('SELECT examples FROM learned_examples WHERE tag = ?').pluck().get('shoegaze') as string) as {
      positives: string[];
    };
    expect(stored.positives).toHaveLength(3);
    expect(stored.positives[0]).toMatch(/^[0-9a-f]{64}$/);
  });

  it('reports how many examples a tag still lacks and suggests nothing', () => {
    label(s.db, of('A', 2), 'late-night', 'added');
    review(s.db, of('B', 5));
    new Learner(s.db).refit();
    expect(learnedTag(s.db, 'late-night')).toMatchObject({ status: 'too-few', positives: 2, negatives: 5 });
    expect(suggested(s.db, 'late-night')).toEqual([]);
  });

  it('calls a tag whose examples cannot be told apart not learnable yet, and suggests nothing', () => {
    // Positives and negatives drawn from the same clusters, alternately.
    const mixed = s.ids.slice(0, 24);
    label(s.db, mixed.filter((_, i) => i % 2 === 0), 'for running', 'added');
    label(s.db, mixed.filter((_, i) => i % 2 === 1), 'for running', 'rejected');
    new Learner(s.db).refit();
    const tag = learnedTag(s.db, 'for running')!;
    expect(tag.status).toBe('not-learnable');
    // Held-out scores rank positives no better than chance (or find them with too little precision).
    expect(tag.precision! < 0.5 || tag.auc! <= 0.6).toBe(true);
    expect(suggested(s.db, 'for running')).toEqual([]);
  });

  it('refits only what changed, and a rejection moves the suggestions', () => {
    label(s.db, of('A', 3), 'shoegaze', 'added');
    review(s.db, [...of('B', 2), ...of('C', 2)]);
    const learner = new Learner(s.db);
    learner.refit();
    expect(learner.refit().fitted).toBe(0);
    const revision = learnedTag(s.db, 'shoegaze')!.revision;
    // The person rejects it on more of cluster A: the tag now means part of A at most.
    label(s.db, of('A', 6, 10), 'shoegaze', 'rejected');
    const report = learner.refit();
    expect(report.fitted).toBe(1);
    expect(learnedTag(s.db, 'shoegaze')!.revision).toBe(revision + 1);
    expect(report.removed).toBeGreaterThan(0);
  });

  it('after a restart refits nothing; new tracks tagged later are scored with the same classifier', () => {
    label(s.db, of('A', 3), 'shoegaze', 'added');
    review(s.db, [...of('B', 2), ...of('C', 2)]);
    new Learner(s.db).refit();
    const revision = learnedTag(s.db, 'shoegaze')!.revision;
    expect(new Learner(s.db).refit()).toMatchObject({ fitted: 0, added: 0 });
    // Ten more tracks of cluster A arrive (copies of the embeddings of tracks already there).
    const more = of('A', 10, 40).map((id, i) => {
      const blob = s.db.prepare('SELECT embedding FROM predictions WHERE track_id = ?').pluck().get(id) as Buffer;
      return { path: `/music/new/${i}.mp3`, embedding: new Float32Array(blob.buffer.slice(blob.byteOffset, blob.byteOffset + blob.byteLength)) };
    });
    const newIds = seedTracks(s.db, more);
    const report = new Learner(s.db).refit();
    expect(report.fitted).toBe(0);
    expect(learnedTag(s.db, 'shoegaze')!.revision).toBe(revision);
    expect(report.embeddings).toBe(190);
    const got = new Set(suggested(s.db, 'shoegaze'));
    for (const id of newIds) expect(got.has(id)).toBe(true);
  });

  it('puts the tracks it doubts most first in the review queue', () => {
    label(s.db, of('A', 3), 'shoegaze', 'added');
    review(s.db, [...of('B', 2), ...of('C', 2)]);
    new Learner(s.db).refit();
    const tag = learnedTag(s.db, 'shoegaze')!;
    const doubt = s.db
      .prepare(
        `SELECT s.track_id, abs(s.score - ?) AS doubt FROM learned_scores s WHERE s.tag = 'shoegaze'
           AND NOT EXISTS (SELECT 1 FROM labels l WHERE l.track_id = s.track_id) ORDER BY doubt LIMIT 1`,
      )
      .get(tag.threshold) as { track_id: number; doubt: number };
    const row = s.db.prepare('SELECT uncertainty, model_uncertainty FROM tracks WHERE id = ?').get(doubt.track_id) as {
      uncertainty: number;
      model_uncertainty: number;
    };
    expect(row.uncertainty).toBeCloseTo(Math.min(doubt.doubt, row.model_uncertainty), 9);
  });

  it('switched off: no fit, no suggestions, the setting kept; a tag with no examples left is forgotten', () => {
    label(s.db, of('A', 3), 'shoegaze', 'added');
    review(s.db, [...of('B', 2), ...of('C', 2)]);
    const learner = new Learner(s.db);
    learner.refit();
    s.db.prepare('UPDATE learned_tags SET enabled = 0 WHERE tag = ?').run('shoegaze');
    learner.refit();
    expect(learnedTag(s.db, 'shoegaze')).toMatchObject({ status: 'off', enabled: false });
    expect(suggested(s.db, 'shoegaze')).toEqual([]);

    label(s.db, of('A', 3), 'dreamy', 'added');
    learner.refit();
    expect(learnedTag(s.db, 'dreamy')?.status).toBe('learned');
    s.db.prepare("DELETE FROM labels WHERE tag = 'dreamy'").run();
    learner.refit();
    expect(learnedTag(s.db, 'dreamy')).toBeUndefined();
    expect(s.db.prepare("SELECT count(*) FROM learned_scores WHERE tag = 'dreamy'").pluck().get()).toBe(0);
  });

  it('never mixes embeddings of another backbone, and says why when there are none', () => {
    // Half of the tracks were tagged by another model only: they are not examples and get no scores.
    const other = new ModelRegistry(s.db).registerTags('other', '2', 'other', 'test', 3, [{ name: 'x', category: 'genre', threshold: 0.5 }]);
    const moved = s.ids.filter((_, i) => i % 2 === 1);
    for (const id of moved) {
      s.db.prepare("DELETE FROM predictions WHERE track_id = ? AND model_key = 'synthetic@1'").run(id);
      s.db
        .prepare("INSERT INTO predictions (track_id, model_key, provider, created_at, patches, taggram, scores, embedding) VALUES (?, ?, 'cpu', ?, 1, ?, ?, ?)")
        .run(id, other.key, nowIso(), float32Blob([0]), float32Blob([0]), float32Blob(new Float32Array(D).fill(100)));
    }
    label(s.db, of('A', 8), 'shoegaze', 'added');
    review(s.db, [...of('B', 4), ...of('C', 4)]);
    const report = new Learner(s.db).refit();
    expect(report.embeddings).toBe(90);
    const tag = learnedTag(s.db, 'shoegaze')!;
    expect(tag.positives + tag.negatives).toBe([...of('A', 8), ...of('B', 4), ...of('C', 4)].filter((id) => !moved.includes(id)).length);
    for (const id of suggested(s.db, 'shoegaze')) expect(moved).not.toContain(id);

    const empty = openStore(tempDir('eno-learn-empty-').dir);
    seedTracks(empty, [{ path: '/music/bad.mp3', status: 'error' }, { path: '/music/worse.mp3', status: 'error' }]);
    expect(new Learner(empty).refit().problem).toBe('none of the 2 tracks could be read, so there are no embeddings to learn from');
    expect(learnedTags(empty)).toEqual([]);
  });
});
