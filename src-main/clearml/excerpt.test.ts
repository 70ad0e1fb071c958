import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { decodeAll } from '../audio/decode';
import { sharedClip, tempDir } from '../../test-support/fixtures';
import { EXCERPT_SAMPLE_RATE, writeExcerpt } from './excerpt';

const tmp = tempDir('eno-clearml-excerpt-');
afterAll(() => tmp.cleanup());

function pcm16(wav: Buffer): Int16Array {
  return new Int16Array(wav.buffer.slice(wav.byteOffset + 44, wav.byteOffset + wav.length));
}

describe('audio excerpts', () => {
  it('takes 30 s from the middle of a long track, at 16 kHz mono', async () => {
    const clip = sharedClip('music/Karissa_Hobbs_-_Lets_Go_Fishin.ogg');
    const full = await decodeAll(clip, { sampleRate: EXCERPT_SAMPLE_RATE });
    const durationSec = full.length / EXCERPT_SAMPLE_RATE;
    const dest = join(tmp.dir, 'long.wav');
    await writeExcerpt(clip, dest, { durationSec });
    const samples = pcm16(readFileSync(dest));
    expect(samples.length).toBe(30 * EXCERPT_SAMPLE_RATE);
    const start = Math.round((durationSec / 2 - 15) * EXCERPT_SAMPLE_RATE);
    for (const i of [0, 1000, 200_000, samples.length - 1]) {
      expect(samples[i]! / 32767).toBeCloseTo(Math.max(-1, Math.min(1, full[start + i]!)), 3);
    }
  });

  it('keeps a track shorter than 30 s whole', async () => {
    const clip = sharedClip('music/sorohanro_-_solo-trumpet-06.ogg');
    const dest = join(tmp.dir, 'short.wav');
    await writeExcerpt(clip, dest, { durationSec: 5.33 });
    const full = await decodeAll(clip, { sampleRate: EXCERPT_SAMPLE_RATE });
    expect(pcm16(readFileSync(dest)).length).toBe(full.length);
  });
});
