// Music or not, on real recordings and generated silence and noise: every shared music clip and
// every labelled clip is music; speech, a bird, a whale, a dog, silence and noise are not.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TaggingEngine } from '../inference/engine';
import { EFFICIENTAT_MODEL_DIR, SHARED_AUDIO, tempDir, writeWav } from '../../test-support/fixtures';
import { judgeContent } from './music-check';
import { tagFiles } from './batch';
import type { TaggedTrack } from './tag-file';

const tmp = tempDir();
const LABELLED = join(SHARED_AUDIO, '..', 'labelled');

function noise(seconds: number, gain: number, smooth = 0): Float32Array {
  let seed = 12345;
  let last = 0;
  return Float32Array.from({ length: seconds * 32000 }, () => {
    seed = (seed * 1664525 + 1013904223) % 2 ** 32;
    last = smooth * last + (seed / 2 ** 32 - 0.5) * 2 * gain;
    return last;
  });
}

const verdicts = new Map<string, TaggedTrack>();
let engine: TaggingEngine;
beforeAll(async () => {
  const generated = [
    writeWav(join(tmp.dir, 'silence.wav'), new Float32Array(12 * 32000), 32000),
    writeWav(join(tmp.dir, 'white-noise.wav'), noise(12, 0.3), 32000),
    writeWav(join(tmp.dir, 'brown-noise.wav'), noise(12, 0.1, 0.98), 32000),
  ];
  const shared = ['music', 'nonmusic'].flatMap((d) => readdirSync(join(SHARED_AUDIO, d)).map((f) => join(SHARED_AUDIO, d, f)));
  const labelled = readdirSync(LABELLED).filter((f) => f.endsWith('.mp3')).map((f) => join(LABELLED, f));
  engine = await TaggingEngine.open({ modelDir: EFFICIENTAT_MODEL_DIR, ep: 'cpu' });
  await tagFiles(engine, [...generated, ...shared, ...labelled], {
    onOutcome: (o) => {
      expect(o.status, o.file).toBe('ok');
      verdicts.set(o.file, o as TaggedTrack);
    },
  });
}, 300_000);
afterAll(async () => {
  await engine?.close();
  tmp.cleanup();
});

const verdictOf = (file: string): string | undefined => verdicts.get(file)?.content?.verdict;

describe('music or not', () => {
  it('says "not music" for speech, animal sounds, silence and noise', () => {
    for (const f of readdirSync(join(SHARED_AUDIO, 'nonmusic'))) expect(verdictOf(join(SHARED_AUDIO, 'nonmusic', f)), f).toBe('not music');
    for (const f of ['silence.wav', 'white-noise.wav', 'brown-noise.wav']) expect(verdictOf(join(tmp.dir, f)), f).toBe('not music');
    const speech = verdicts.get(join(SHARED_AUDIO, 'nonmusic', '198-209-0000.ogg'))!.content!;
    expect(speech.speech).toBeGreaterThan(0.5);
  });

  it('says "music" for every shared music clip and every labelled clip', () => {
    const music = readdirSync(join(SHARED_AUDIO, 'music')).map((f) => join(SHARED_AUDIO, 'music', f));
    const labelled = readdirSync(LABELLED).filter((f) => f.endsWith('.mp3')).map((f) => join(LABELLED, f));
    expect(labelled.length).toBeGreaterThanOrEqual(40);
    for (const f of [...music, ...labelled]) expect(verdictOf(f), f).toBe('music');
  });

  it('treats near-silence as not music whatever the model says, and needs a model with detectors', () => {
    const m = { modelId: 'x', detectors: { music: 0.9, speech: 0.01 } } as unknown as TaggedTrack;
    expect(judgeContent([m], 1e-4)?.verdict).toBe('not music'); // -80 dBFS
    expect(judgeContent([m], 0.1)?.verdict).toBe('music');
    expect(judgeContent([{ ...m, detectors: { music: 0.6, speech: 0.7 } }], 0.1)?.verdict).toBe('not music');
    expect(judgeContent([{ ...m, detectors: undefined }], 0.1)).toBeUndefined();
  });
});
