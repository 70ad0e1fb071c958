// A kill -9 in the middle of a refit: every correction reported saved is in the store, and every
// learned tag is whole: its stored scores are the ones its stored classifier gives.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { seedClusteredLibrary } from '../../test-support/clustered-library';
import { tempDir } from '../../test-support/fixtures';
import { runUntilKilled } from '../../test-support/kill-child';
import { blobFloat32 } from '../library/blobs';
import { openStore } from '../library/store';
import { learnedTags } from './learned-store';
import { classifierScore } from './learned-scorer';

const tmp = tempDir();
afterAll(() => tmp.cleanup());

describe('a crash during a refit', () => {
  it('loses no correction and leaves no half-written learned tag', async () => {
    const data = join(tmp.dir, 'data');
    mkdirSync(data);
    // Enough tracks that a refit takes a while, so the kill lands inside one.
    seedClusteredLibrary(data, 8, 400);
    let refits = 0;
    const run = await runUntilKilled('test-support/scripts/learn-child.ts', [data], (line) => {
      if (line.startsWith('{"refit"')) refits++;
      // Kill a few milliseconds into the sixth refit (the line is printed as it starts).
      if (refits === 6) {
        const until = Date.now() + 15;
        while (Date.now() < until) {
          // spin: the child goes on meanwhile
        }
        return true;
      }
      return false;
    });
    expect(run.signal, run.stderr).toBe('SIGKILL');
    // The kill came while the refit was running: nothing after its start was printed.
    expect(run.lines.at(-1)).toBe('{"refit":5}');
    const saved = run.lines.filter((l) => l.startsWith('{"step"')).map((l) => JSON.parse(l) as { step: number; tag: string; trackIds: number[] });
    expect(saved.length).toBeGreaterThanOrEqual(5);

    const db = openStore(data);
    try {
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
      const has = db.prepare("SELECT 1 FROM labels WHERE track_id = ? AND tag = ? AND state = 'added'");
      for (const { step, tag, trackIds } of saved) for (const id of trackIds) expect(has.get(id, tag), `step ${step}, track ${id}`).toBeTruthy();

      const tags = learnedTags(db).filter((t) => t.status === 'learned');
      expect(tags.length).toBeGreaterThan(0);
      const embeddingOf = db.prepare('SELECT embedding FROM predictions WHERE track_id = ?').pluck();
      for (const t of tags) {
        expect(t.classifier, t.tag).not.toBeNull();
        expect(t.threshold, t.tag).not.toBeNull();
        const rows = db.prepare('SELECT track_id, score FROM learned_scores WHERE tag = ?').all(t.tag) as Array<{ track_id: number; score: number }>;
        // Every stored score is what this classifier gives that track (a newer fit's scores under
        // an older classifier, or the other way round, would differ).
        for (const r of rows) {
          const expected = classifierScore(t.classifier!, blobFloat32(embeddingOf.get(r.track_id) as Buffer));
          expect(Math.abs(expected - r.score), `${t.tag} on track ${r.track_id}`).toBeLessThan(2e-3);
        }
        // And every track the classifier suggests is stored.
        const stored = new Set(rows.map((r) => r.track_id));
        const all = db.prepare('SELECT track_id, embedding FROM predictions').all() as Array<{ track_id: number; embedding: Buffer }>;
        for (const p of all) {
          if (classifierScore(t.classifier!, blobFloat32(p.embedding)) >= t.threshold! + 2e-3) expect(stored.has(p.track_id), `${t.tag} on track ${p.track_id}`).toBe(true);
        }
      }
    } finally {
      db.close();
    }
  });
});
