// The engine's life cycle: concurrent analyses, cancellation, and a crashed worker (the engine
// reports itself broken, fails what is in flight, and still closes).
import type { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { DecodeError } from '../audio/decode';
import { DEFAULT_MODEL_DIR, EFFICIENTAT_MODEL_DIR, sharedClip } from '../../test-support/fixtures';
import { TaggingEngine } from './engine';

describe('TaggingEngine', () => {
  it('analyses several files at once and cancels one on request', async () => {
    const engine = await TaggingEngine.open({ modelDir: DEFAULT_MODEL_DIR, ep: 'cpu' });
    try {
      const controller = new AbortController();
      const long = engine.analyze(sharedClip('music/Karissa_Hobbs_-_Lets_Go_Fishin.ogg'), { signal: controller.signal });
      const [a, b] = await Promise.all([
        engine.analyze(sharedClip('music/bensound-cute.mp3')),
        engine.analyze(sharedClip('music/sorohanro_-_solo-trumpet-06.ogg')),
      ]);
      expect(a.models[0]!.patches).toBe(10);
      expect(b.models[0]!.patches).toBe(1);
      controller.abort();
      await expect(long).rejects.toThrow(DecodeError);
      // The engine goes on after a cancellation.
      expect((await engine.analyze(sharedClip('music/bensound-dubstep.mp3'))).models[0]!.patches).toBe(10);
    } finally {
      await engine.close();
    }
  });

  it('after a worker crash: fails what is in flight, says it is broken, and still closes', async () => {
    const engine = await TaggingEngine.open({ modelDir: DEFAULT_MODEL_DIR, ep: 'cpu' });
    const inFlight = engine.analyze(sharedClip('music/Karissa_Hobbs_-_Lets_Go_Fishin.ogg'));
    const workers = (engine as unknown as { inference: Worker[] }).inference;
    await workers[0]!.terminate();
    await expect(inFlight).rejects.toThrow(/worker exited unexpectedly/);
    expect(engine.broken).toBe(true);
    await expect(engine.analyze(sharedClip('music/bensound-cute.mp3'))).rejects.toThrow(/worker exited unexpectedly/);
    await engine.close();
  });

  it('runs a model set from one decode: rows per model, and musicnn exactly as when it runs alone', async () => {
    const clip = sharedClip('music/bensound-dubstep.mp3');
    const alone = await TaggingEngine.open({ modelDir: DEFAULT_MODEL_DIR, ep: 'cpu', precision: 'exact' });
    const set = await TaggingEngine.open({ models: [{ dir: DEFAULT_MODEL_DIR }, { dir: EFFICIENTAT_MODEL_DIR }], precision: 'exact', ep: 'cpu' });
    try {
      const [one, both] = await Promise.all([alone.analyze(clip), set.analyze(clip, { peaksPerSecond: 10 })]);
      expect(set.bundles.map((b) => b.manifest.id)).toEqual(['musicnn-msd', 'efficientat-mn04']);
      expect(both.models).toHaveLength(2);
      const [musicnn, mn04] = both.models;
      expect(musicnn!.taggram).toEqual(one.models[0]!.taggram);
      expect(musicnn!.embedding).toEqual(one.models[0]!.embedding);
      expect(musicnn!.patches).toBe(10);
      // 31.3 s: three whole 10-s windows and one aligned to the end.
      expect(mn04!.patches).toBe(4);
      expect(mn04!.taggram).toHaveLength(4 * 154);
      expect(mn04!.embedding).toHaveLength(384);
      expect(mn04!.detectors).toHaveLength(4 * 2);
      expect(both.durationSec).toBeCloseTo(one.durationSec, 6);
      expect(both.peaks.length).toBe(2 * Math.ceil(both.durationSec * 10));
    } finally {
      await Promise.all([alone.close(), set.close()]);
    }
  });
});

