// The tagging queue with the real engine: results and errors on their rows, progress, dropped
// files first, pause / resume / cancel, and a pause that outlives a restart.
import Database from 'better-sqlite3';
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { QueueStatus } from '../../src-preload/contract';
import { TaggingEngine } from '../inference/engine';
import { DEFAULT_MODEL_DIR, sharedClip, sine, tempDir, writeWav } from '../../test-support/fixtures';
import { DATABASE_FILE } from './store';
import { openRecording, query, untilQueueIdle, waitFor } from '../../test-support/library-harness';

const tmp = tempDir();
let engine: TaggingEngine;
beforeAll(async () => {
  engine = await TaggingEngine.open({ modelDir: DEFAULT_MODEL_DIR, ep: 'cpu' });
});
afterAll(async () => {
  await engine.close();
  tmp.cleanup();
});

const SR = 16000;
/** A folder of `n` tones of `seconds` each (distinct pitches, so distinct tracks). */
function toneFolder(name: string, n: number, seconds: number, firstHz = 200): string {
  const dir = join(tmp.dir, name);
  mkdirSync(dir, { recursive: true });
  for (let i = 0; i < n; i++) writeWav(join(dir, `${name} ${String(i).padStart(2, '0')}.wav`), sine(seconds, SR, firstHz + 37 * i), SR);
  return dir;
}

function dataDir(name: string): string {
  const dir = join(tmp.dir, name);
  mkdirSync(dir);
  return dir;
}

/** File names in the order their predictions were written. */
function taggedOrder(data: string): string[] {
  const db = new Database(join(data, DATABASE_FILE), { readonly: true });
  try {
    const rows = db
      .prepare('SELECT (SELECT path FROM files f WHERE f.track_id = p.track_id ORDER BY f.id LIMIT 1) AS path FROM predictions p ORDER BY p.id')
      .pluck()
      .all() as string[];
    return rows.map((p) => p.slice(p.lastIndexOf('/') + 1));
  } finally {
    db.close();
  }
}

describe('the tagging queue', () => {
  it('tags a folder; a bad file gets its reason on its row and the rest goes on', async () => {
    const music = toneFolder('music', 3, 4);
    copyFileSync(sharedClip('music/bensound-thejazzpiano.mp3'), join(music, 'piano.mp3'));
    writeFileSync(join(music, 'corrupt.mp3'), Buffer.from(Array.from({ length: 20000 }, (_, i) => (i * 7919 + 13) % 256)));
    const data = dataDir('data-basic');
    const { library, events } = await openRecording(data, engine, { concurrency: 2 });
    try {
      await library.addFolder({ path: music });
      await untilQueueIdle(library);
      await library.settled();
      const rows = library.queryTracks(query({ sort: 'title' })).rows;
      expect(rows.map((r) => [r.title, r.status])).toEqual([
        ['corrupt', 'error'],
        ['music 00', 'tagged'],
        ['music 01', 'tagged'],
        ['music 02', 'tagged'],
        ['The Jazz Piano', 'tagged'],
      ]);
      expect(rows[0]!.error).toBe('not an audio file ffmpeg can read (damaged, or not audio)');
      const piano = rows[4]!;
      expect(piano.genres[0]!.tag).toBe('jazz');
      expect(piano.durationSec).toBeCloseTo(32.05, 1);
      const detail = library.getTrack({ id: piano.id });
      expect(detail.prediction).toMatchObject({ modelId: 'musicnn-msd', modelVersion: '1.0.0', provider: 'cpu' });
      expect(detail.prediction!.tags).toHaveLength(50);
      expect(detail.prediction!.tags[0]!.tag).toBe('jazz');
      expect(detail.prediction!.taggram.tags).toHaveLength(8);
      expect(detail.prediction!.taggram.rows[0]).toHaveLength(Math.floor(32.05 / detail.prediction!.patchSec));
      expect(detail.peaks.length).toBeGreaterThan(1000);
      expect(detail.peaks.length).toBeLessThanOrEqual(2048);
      expect(detail.finalTags).toEqual(expect.arrayContaining(['jazz']));

      const progress = (): QueueStatus[] => events.filter((e) => e.event === 'queue').map((e) => e.payload as QueueStatus);
      // The last progress event may come a throttle interval after the work is done.
      const last = await waitFor(() => progress().at(-1)?.state === 'idle' && progress().at(-1), 'the final progress event', 2000);
      expect(last).toMatchObject({ state: 'idle', done: 5, total: 5, failed: 1, current: [] });
      // At most about four progress events a second.
      const times = events.filter((e) => e.event === 'queue').map((e) => e.atMs);
      for (let i = 1; i < times.length; i++) expect(times[i]! - times[i - 1]!).toBeGreaterThanOrEqual(240);
      expect(progress().some((p) => p.state === 'running' && p.current.length > 0 && p.tracksPerSec >= 0)).toBe(true);
      const changed = new Set(events.filter((e) => e.event === 'tracksChanged').flatMap((e) => (e.payload as { ids: number[] }).ids));
      for (const r of rows) expect(changed.has(r.id)).toBe(true);
    } finally {
      await library.close();
    }
  });

  it('tags dropped files before the folder scans already waiting', async () => {
    const folder = toneFolder('waiting', 5, 3);
    const dropped = toneFolder('dropped', 2, 3, 900);
    const data = dataDir('data-priority');
    const { library } = await openRecording(data, engine, { concurrency: 1 });
    try {
      library.pauseQueue();
      await library.addFolder({ path: folder });
      await library.settled();
      expect(await library.addPaths({ paths: [dropped] })).toMatchObject({ files: 2, queued: 2 });
      expect(library.resumeQueue().state).toBe('running');
      await untilQueueIdle(library);
    } finally {
      await library.close();
    }
    expect(taggedOrder(data)).toEqual([
      'dropped 00.wav',
      'dropped 01.wav',
      ...['00', '01', '02', '03', '04'].map((n) => `waiting ${n}.wav`),
    ]);
  });

  it('pauses (tracks in flight go back), resumes, cancels, and retries', async () => {
    const folder = toneFolder('long', 6, 30, 300);
    const data = dataDir('data-pause');
    const { library } = await openRecording(data, engine, { concurrency: 1 });
    try {
      await library.addFolder({ path: folder });
      await waitFor(() => library.queueStatus().done >= 1, 'a first track');
      expect(library.pauseQueue()).toMatchObject({ state: 'paused', current: [] });
      const statuses = () => library.queryTracks(query()).rows.map((r) => r.status);
      await waitFor(() => !statuses().includes('tagging'), 'the track in flight to go back to the queue');
      const paused = library.queueStatus();
      await new Promise((r) => setTimeout(r, 1500));
      expect(library.queueStatus()).toMatchObject({ state: 'paused', done: paused.done, total: 6 });

      library.resumeQueue();
      await waitFor(() => library.queueStatus().done >= paused.done + 1, 'tagging to go on');
      const cancelled = library.cancelQueue();
      expect(cancelled).toMatchObject({ state: 'idle', total: 0 });
      await waitFor(() => !statuses().includes('tagging'), 'the cancelled track to stop');
      const after = statuses();
      expect(after).not.toContain('queued');
      expect(after).toContain('untagged');
      expect(after).toContain('tagged');

      library.retryUntagged();
      await untilQueueIdle(library);
      expect(statuses()).toEqual(Array(6).fill('tagged'));
    } finally {
      await library.close();
    }
  });

  it('remembers a pause across a restart, with the queue intact', async () => {
    const folder = toneFolder('later', 2, 3, 700);
    const data = dataDir('data-restart');
    const first = await openRecording(data, engine);
    first.library.pauseQueue();
    await first.library.addFolder({ path: folder });
    await first.library.settled();
    await first.library.close();
    const second = await openRecording(data, engine);
    try {
      expect(second.library.queueStatus()).toMatchObject({ state: 'paused', total: 2 });
      second.library.resumeQueue();
      await untilQueueIdle(second.library);
      expect(second.library.queryTracks(query({ statuses: ['tagged'] })).total).toBe(2);
    } finally {
      await second.library.close();
    }
  });
});
