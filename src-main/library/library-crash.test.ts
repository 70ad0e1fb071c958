// Crashes: a real child process killed with SIGKILL in the middle of tagging or of corrections.
// Whatever it reported done must be in the store when it is opened again, and the queue resumes.
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { QueueStatus } from '../../src-preload/contract';
import { TaggingEngine } from '../inference/engine';
import { DEFAULT_MODEL_DIR, sine, tempDir, writeWav } from '../../test-support/fixtures';
import { runUntilKilled } from '../../test-support/kill-child';
import { DATABASE_FILE, openStore } from './store';
import { randomTracks, seedTracks } from '../../test-support/synthetic-library';
import { openRecording, untilQueueIdle } from '../../test-support/library-harness';

const tmp = tempDir();
afterAll(() => tmp.cleanup());

describe('a crash', () => {
  it('in the middle of tagging loses nothing: the queue resumes and finished tracks are not redone', async () => {
    const music = join(tmp.dir, 'music');
    mkdirSync(music);
    for (let i = 0; i < 10; i++) writeWav(join(music, `tone ${i}.wav`), sine(45, 16000, 250 + 41 * i), 16000);
    const data = join(tmp.dir, 'data-queue');
    mkdirSync(data);
    const run = await runUntilKilled('test-support/scripts/queue-child.ts', [data, music], (line) => (JSON.parse(line) as QueueStatus).done >= 2);
    expect(run.signal, run.stderr).toBe('SIGKILL');

    const raw = new Database(join(data, DATABASE_FILE), { readonly: true });
    const before = raw.prepare('SELECT id, track_id, created_at FROM predictions ORDER BY id').all();
    const jobsLeft = raw.prepare('SELECT count(*) FROM jobs').pluck().get() as number;
    const cutShort = raw.prepare("SELECT id FROM tracks WHERE status = 'tagging'").pluck().all() as number[];
    raw.close();
    expect(before.length).toBeGreaterThanOrEqual(2);
    expect(jobsLeft).toBe(10 - before.length);
    expect(cutShort.length).toBeLessThanOrEqual(1);

    // Opened again (here without tagging), a track cut short is back in the queue.
    const idle = await openRecording(data, null);
    const queued = idle.library.trackIds({ search: '', statuses: ['queued'], tag: null, minConfidence: 0, sort: 'added', descending: false, toReview: false });
    expect(queued).toHaveLength(jobsLeft);
    expect(queued).toEqual(expect.arrayContaining(cutShort));
    await idle.library.close();

    const engine = await TaggingEngine.open({ modelDir: DEFAULT_MODEL_DIR, ep: 'cpu' });
    const { library } = await openRecording(data, engine);
    try {
      expect(library.queueStatus().total).toBe(jobsLeft);
      await untilQueueIdle(library);
      const statuses = library.trackIds({ search: '', statuses: ['tagged'], tag: null, minConfidence: 0, sort: 'added', descending: false, toReview: false });
      expect(statuses).toHaveLength(10);
    } finally {
      await library.close();
      await engine.close();
    }
    const db = openStore(data);
    expect(db.prepare('SELECT count(*) FROM predictions').pluck().get()).toBe(10);
    expect(db.prepare('SELECT id, track_id, created_at FROM predictions ORDER BY id LIMIT ?').all(before.length)).toEqual(before);
    expect(db.prepare("SELECT count(*) FROM tracks WHERE status <> 'tagged'").pluck().get()).toBe(0);
    db.close();
  });

  it('in the middle of corrections keeps every correction it reported as saved', async () => {
    const data = join(tmp.dir, 'data-labels');
    mkdirSync(data);
    const seeded = openStore(data);
    seedTracks(seeded, randomTracks(50, 7).map((t) => ({ ...t, status: 'tagged' as const, reviewedAt: null })));
    seeded.close();

    const run = await runUntilKilled('test-support/scripts/label-child.ts', [data], (line) => (JSON.parse(line) as { step: number }).step >= 60);
    expect(run.signal, run.stderr).toBe('SIGKILL');
    const reported = run.lines.map((l) => JSON.parse(l) as { step: number; trackIds: number[] });
    expect(reported.length).toBeGreaterThanOrEqual(60);

    const db = openStore(data);
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    const has = db.prepare("SELECT 1 FROM labels WHERE track_id = ? AND tag = ? AND state = 'added'");
    const reviewed = db.prepare('SELECT reviewed_at IS NOT NULL FROM tracks WHERE id = ?').pluck();
    for (const { step, trackIds } of reported) {
      for (const id of trackIds) {
        expect(has.get(id, `step ${step}`), `step ${step} on track ${id}`).toBeTruthy();
        if (step % 4 === 3) expect(reviewed.get(id)).toBe(1);
      }
    }
    const steps = db.prepare("SELECT count(*) FROM history_steps WHERE state = 'done'").pluck().get() as number;
    expect(steps).toBeGreaterThanOrEqual(reported.length);
    db.close();

    // The history survived too: undo takes back the newest step.
    const { library } = await openRecording(data, null, { runQueue: false });
    try {
      const undoLabel = library.history().undoLabel;
      // (Tracks come round again, so a review step may find some of its three already reviewed.)
      expect(undoLabel).toMatch(/^(Add "step \d+" on 3 tracks|Mark [123] tracks? reviewed)$/);
      expect(library.undo().history.canRedo).toBe(true);
    } finally {
      await library.close();
    }
  });
});
