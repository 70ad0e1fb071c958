// Every container and codec the app promises, made here with ffmpeg's own encoders from a 440 Hz
// tone (4 s, stereo, 44.1 kHz), then decoded by the pipeline: 16 kHz mono, right length and level.
// (Monkey's Audio has no encoder in ffmpeg, so .ape is covered by the decoder list only.)
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { tempDir } from '../../test-support/fixtures';
import { decodeAll } from './decode';
import { resolveFfmpeg } from './ffmpeg';

const tmp = tempDir();
afterAll(tmp.cleanup);

const FORMATS: Array<[string, string]> = [
  ['mp3', 'libmp3lame'],
  ['flac', 'flac'],
  ['ogg', 'libvorbis'],
  ['opus', 'libopus'],
  ['m4a', 'aac'],
  ['m4a', 'alac'],
  ['wav', 'pcm_s16le'],
  ['aiff', 'pcm_s16be'],
  ['wma', 'wmav2'],
  ['wv', 'wavpack'],
];

describe('formats', () => {
  it.each(FORMATS)('decodes .%s (%s) to 16 kHz mono with its length and level', async (ext, codec) => {
    const file = join(tmp.dir, `tone-${codec}.${ext}`);
    const made = spawnSync(resolveFfmpeg().path, ['-v', 'error', '-f', 'lavfi', '-i', 'sine=frequency=440:duration=4:sample_rate=44100', '-ac', '2', '-c:a', codec, '-y', file], { encoding: 'utf8' });
    expect(made.status, made.stderr).toBe(0);
    const pcm = await decodeAll(file, { sampleRate: 16000 });
    // Codecs with priming or padding (mp3, aac, opus, vorbis) may differ by a few frames.
    expect(Math.abs(pcm.length / 16000 - 4)).toBeLessThan(0.1);
    const mid = pcm.subarray(16000, 48000);
    const rms = Math.sqrt(mid.reduce((a, v) => a + v * v, 0) / mid.length);
    // ffmpeg's sine source has amplitude 1/8 and its mono-to-stereo upmix is -3 dB per channel; the
    // mean of two equal channels keeps that, so the RMS is 0.125 * 0.7071 / sqrt(2) = 0.0625.
    // Lossy codecs move the level a little.
    expect(rms).toBeGreaterThan(0.0625 * 0.9);
    expect(rms).toBeLessThan(0.0625 * 1.1);
  });
});
