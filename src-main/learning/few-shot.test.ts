// Learned tags on real music, end to end through the command line: the 40 labelled clips (four
// genres) are tagged into a library, three clips of each genre get a new free-form tag, and eno
// must then rank the other clips of that genre ahead of the rest. Prints, per genre, the held-out
// ROC AUC and the precision and recall at the threshold it chose.
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../test-support/cli';
import { REPO_ROOT, tempDir } from '../../test-support/fixtures';
import { openRecording } from '../../test-support/library-harness';
import { blobFloat32 } from '../library/blobs';
import type { Library } from '../library/library';
import { openStore } from '../library/store';
import { rocAuc } from './evaluation';
import { learnedTag } from './learned-store';
import { classifierScore } from './learned-scorer';

const LABELLED = resolve(REPO_ROOT, '..', 'shared', 'labelled');
const GENRES = ['classical', 'electronic', 'pop', 'rock'] as const;
/** The clips each new tag is given on (the rest of the genre is what it must find). */
const EXAMPLES = [1, 2, 3];

const tmp = tempDir();
afterAll(() => tmp.cleanup());

function genreOf(file: string): string {
  return /emotify-([a-z]+)-\d+\.mp3$/.exec(file)![1]!;
}

describe('learning a new tag from three labelled clips of a genre', () => {
  const data = join(tmp.dir, 'library');
  let library: Library;
  const idOf = new Map<string, number>();

  beforeAll(async () => {
    const tagged = await runCli(['tag', LABELLED, '--data-dir', data, '--out', join(tmp.dir, 'tagged.jsonl')]);
    expect(tagged.code, tagged.stderr).toBe(0);
    ({ library } = await openRecording(data, null, { runQueue: false, learn: true }));
    const all = library.trackIds({ search: '', statuses: [], tag: null, minConfidence: 0, sort: 'added', descending: false, toReview: false });
    for (const id of all) idOf.set(library.getTrack({ id }).files[0]!.split('/').pop()!, id);
    expect(idOf.size).toBe(40);
    for (const genre of GENRES) {
      const examples = EXAMPLES.map((n) => idOf.get(`emotify-${genre}-${n}.mp3`)!);
      library.label({ trackIds: examples, action: 'add', tag: `my ${genre}` });
      // Reviewed, the examples of each genre are the negatives of the other genres' tags.
      library.setReviewed({ trackIds: examples, reviewed: true });
    }
    await library.learnNow();
  }, 600_000);
  afterAll(() => library?.close());

  it('ranks the other clips of the genre ahead of the rest, for every genre', () => {
    const db = openStore(data, { migrate: false });
    try {
      const lines: string[] = [];
      const aucs: number[] = [];
      for (const genre of GENRES) {
        const tag = learnedTag(db, `my ${genre}`)!;
        expect(tag, genre).toMatchObject({ positives: 3, negatives: 9 });
        // Held out: every clip that is no tag's example.
        const isExample = new Set(GENRES.flatMap((g) => EXAMPLES.map((n) => idOf.get(`emotify-${g}-${n}.mp3`))));
        const test = [...idOf].filter(([, id]) => !isExample.has(id));
        const scores = test.map(([, id]) => {
          // musicnn's embedding, the one the tags were learned from (mn04 stores its own beside it).
          const blob = db.prepare("SELECT embedding FROM predictions WHERE track_id = ? AND model_key = 'musicnn-msd@1.0.0'").pluck().get(id) as Buffer;
          return classifierScore(tag.classifier!, blobFloat32(blob));
        });
        const truth = test.map(([file]) => (genreOf(file) === genre ? 1 : 0));
        const auc = rocAuc(scores, truth);
        aucs.push(auc);
        const suggested = test.filter((_, i) => scores[i]! >= tag.threshold!);
        const right = suggested.filter(([file]) => genreOf(file) === genre).length;
        const precision = suggested.length ? right / suggested.length : NaN;
        const recall = right / truth.filter(Boolean).length;
        lines.push(
          `  my ${genre.padEnd(10)} status ${tag.status.padEnd(13)} ROC AUC ${auc.toFixed(3)}  at threshold ${tag.threshold!.toFixed(3)}: ` +
            `precision ${Number.isNaN(precision) ? '–' : precision.toFixed(2)} (${right}/${suggested.length}), recall ${recall.toFixed(2)}; ` +
            `cross-validated on the examples: precision ${tag.precision!.toFixed(2)}, recall ${tag.recall!.toFixed(2)}`,
        );
        // Each genre is learned well enough to rank its own clips first.
        expect(auc, `ROC AUC of "my ${genre}"`).toBeGreaterThanOrEqual(0.7);
      }
      process.stdout.write(`few-shot (3 examples per genre, ${test28()} held-out clips each):\n${lines.join('\n')}\n`);
      expect(aucs.reduce((a, b) => a + b, 0) / aucs.length).toBeGreaterThanOrEqual(0.85);
      // The two most distinct genres are near perfect.
      expect(aucs[0]).toBeGreaterThanOrEqual(0.95);
      expect(aucs[1]).toBeGreaterThanOrEqual(0.95);
    } finally {
      db.close();
    }
  });

  it('suggests "my classical" on classical clips it was not shown, in the track view and the table', () => {
    const suggested = library.queryTracks({ search: '', statuses: [], tag: null, minConfidence: 0, sort: 'added', descending: false, toReview: false, learnedTag: 'my classical', offset: 0, limit: 100 });
    expect(suggested.total).toBeGreaterThan(0);
    const files = suggested.rows.map((r) => r.path!.split('/').pop()!);
    expect(files.filter((f) => genreOf(f) === 'classical').length / files.length).toBeGreaterThanOrEqual(0.8);
    const first = library.getTrack({ id: suggested.rows[0]!.id });
    expect(first.learned.map((l) => l.tag)).toContain('my classical');
  });

  it('eno learn prints each tag with its figures; eno similar finds clips of the same genre', async () => {
    const learn = await runCli(['learn', '--data-dir', data]);
    expect(learn.code, learn.stderr).toBe(0);
    for (const genre of GENRES) expect(learn.stdout).toMatch(new RegExp(`my ${genre}\\s+(learned|not learnable yet)\\s+3\\s+9\\s`));
    expect(learn.stderr).toMatch(/tag\(s\) learned from 40 track embedding\(s\) \(musicnn-msd@1\.0\.0\)/);

    const clip = join(LABELLED, 'emotify-electronic-5.mp3');
    const similar = await runCli(['similar', clip, '--limit', '5', '--json', '--data-dir', data]);
    expect(similar.code, similar.stderr).toBe(0);
    const rows = similar.stdout.trim().split('\n').map((l) => JSON.parse(l) as { path: string; score: number });
    expect(rows).toHaveLength(5);
    expect(rows.map((r) => r.path)).not.toContain(clip);
    expect(rows.filter((r) => genreOf(r.path) === 'electronic').length).toBeGreaterThanOrEqual(3);

    const missing = await runCli(['similar', '999999', '--data-dir', data]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/no track 999999 in the library/);
  });

  it('eno tag --data-dir records the learned tags a file gets, marked as learned', async () => {
    const out = join(tmp.dir, 'again.jsonl');
    const run = await runCli(['tag', join(LABELLED, 'emotify-classical-7.mp3'), '--data-dir', data, '--out', out]);
    expect(run.code, run.stderr).toBe(0);
    const record = JSON.parse(readFileSync(out, 'utf8').trim()) as { learned: Array<{ tag: string; source: string; score: number; threshold: number }> };
    expect(record.learned.length).toBeGreaterThan(0);
    for (const l of record.learned) {
      expect(l.source).toBe('learned');
      expect(l.score).toBeGreaterThanOrEqual(l.threshold);
    }
    expect(record.learned.map((l) => l.tag)).toContain('my classical');
    expect(record.learned.map((l) => l.tag)).not.toContain('my electronic');
  });
});

function test28(): number {
  return 40 - EXAMPLES.length * GENRES.length;
}
