// The engine's life cycle: concurrent analyses, cancellation, and a crashed worker (the engine
// reports itself broken, fails what is in flight, and still closes).
import type { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { DecodeError } from '../audio/decode';
import { DEFAULT_MODEL_DIR, sharedClip } from '../../test-support/fixtures';
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
      expect(a.patches).toBe(10);
      expect(b.patches).toBe(1);
      controller.abort();
      await expect(long).rejects.toThrow(DecodeError);
      // The engine goes on after a cancellation.
      expect((await engine.analyze(sharedClip('music/bensound-dubstep.mp3'))).patches).toBe(10);
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
});
