// Results from elsewhere and a new model: `eno tag --data-dir` imports, then switching the engine
// to another model, re-tagging the library and flagging judged tracks whose top tags changed.
import { copyFileSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TaggingEngine } from '../inference/engine';
import { MANIFEST_FILE } from '../inference/manifest';
import { tagFile } from '../tagging/tag-file';
import { DEFAULT_MODEL_DIR, sharedClip, tempDir } from '../../test-support/fixtures';
import { openRecording, query, untilQueueIdle } from '../../test-support/library-harness';

const tmp = tempDir();
let engine: TaggingEngine;
beforeAll(async () => {
  engine = await TaggingEngine.open({ modelDir: DEFAULT_MODEL_DIR, ep: 'cpu' });
});
afterAll(async () => {
  await engine.close();
  tmp.cleanup();
});

describe('importing results of eno tag', () => {
  it('adds the tracks with their predictions or reasons, without tagging anything itself', async () => {
    const data = join(tmp.dir, 'data-import');
    mkdirSync(data);
    const piano = join(tmp.dir, 'piano.mp3');
    copyFileSync(sharedClip('music/bensound-thejazzpiano.mp3'), piano);
    const corrupt = join(tmp.dir, 'corrupt.mp3');
    writeFileSync(corrupt, Buffer.alloc(5000, 3));
    const { library } = await openRecording(data, engine, { runQueue: false });
    try {
      const tagged = await tagFile(engine, piano, { peaksPerSecond: 40 });
      const failed = await tagFile(engine, corrupt);
      expect(failed.status).toBe('error');
      const id = await library.importOutcome(piano, tagged);
      const bad = await library.importOutcome(corrupt, failed);
      const gone = await library.importOutcome(join(tmp.dir, 'gone.mp3'), { status: 'error', file: 'gone.mp3', reason: 'file not found' });
      await library.settled();
      expect(library.getTrack({ id }).row).toMatchObject({ title: 'The Jazz Piano', status: 'tagged', path: piano });
      expect(library.getTrack({ id }).prediction?.tags[0]?.tag).toBe('jazz');
      expect(library.getTrack({ id: bad }).row).toMatchObject({ status: 'error', error: failed.status === 'error' ? failed.reason : '' });
      expect(library.getTrack({ id: gone }).row).toMatchObject({ status: 'error', error: 'file not found' });
      expect(library.mediaFile(id)).toBe(piano);
      expect(library.mediaFile(gone)).toBeNull();
      // The same audio under another name is the same track.
      const copy = join(tmp.dir, 'piano copy.mp3');
      copyFileSync(piano, copy);
      expect(await library.importOutcome(copy, { ...tagged, file: copy })).toBe(id);
      expect(library.queueStatus().total).toBe(0);
    } finally {
      await library.close();
    }
  });
});

describe('a new model', () => {
  it('re-tags the library and flags judged tracks whose top tags changed', async () => {
    // The same network under a new version with very low thresholds: every track's top tags change.
    const modelDir = join(tmp.dir, 'model-next');
    mkdirSync(modelDir);
    symlinkSync(join(DEFAULT_MODEL_DIR, 'model.onnx'), join(modelDir, 'model.onnx'));
    const manifest = JSON.parse(readFileSync(join(DEFAULT_MODEL_DIR, MANIFEST_FILE), 'utf8')) as Record<string, unknown> & {
      tags: Array<{ threshold: number }>;
    };
    delete manifest.sha256;
    manifest.version = '1.1.0';
    for (const t of manifest.tags) t.threshold = 0.02;
    writeFileSync(join(modelDir, MANIFEST_FILE), JSON.stringify(manifest));

    const music = join(tmp.dir, 'music');
    mkdirSync(music);
    copyFileSync(sharedClip('music/bensound-thejazzpiano.mp3'), join(music, 'piano.mp3'));
    copyFileSync(sharedClip('music/bensound-dubstep.mp3'), join(music, 'dubstep.mp3'));
    const data = join(tmp.dir, 'data-retag');
    mkdirSync(data);
    const { library } = await openRecording(data, engine);
    const next = await TaggingEngine.open({ modelDir, ep: 'cpu' });
    try {
      await library.addFolder({ path: music });
      await untilQueueIdle(library);
      const [dubstep, piano] = library.queryTracks(query({ sort: 'title' })).rows.map((r) => r.id) as [number, number];
      library.setReviewed({ trackIds: [piano], reviewed: true });
      const before = library.getTrack({ id: piano }).finalTags;

      await library.setEngine(next);
      expect(library.retagAll()).toBe(2);
      await untilQueueIdle(library);
      const after = library.getTrack({ id: piano });
      expect(after.prediction).toMatchObject({ modelId: 'musicnn-msd', modelVersion: '1.1.0' });
      expect(after.finalTags.length).toBeGreaterThan(before.length);
      expect(after.row).toMatchObject({ needsReview: true, status: 'reviewed' });
      expect(library.getTrack({ id: dubstep }).row.needsReview).toBe(false);
      expect(library.reviewQueue({ limit: 10 })).toContain(piano);
      expect(library.retagAll()).toBe(0);
      // Reviewing it again clears the flag; undo brings the flag back.
      expect(library.setReviewed({ trackIds: [piano], reviewed: true }).tracks[0]!.needsReview).toBe(false);
      expect(library.undo().tracks[0]!.needsReview).toBe(true);
      expect(library.redo().tracks[0]).toMatchObject({ needsReview: false, status: 'reviewed' });
    } finally {
      await library.close();
      await next.close();
    }
  });
});
