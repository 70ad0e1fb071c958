import { spawnSync } from 'node:child_process';
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { sharedClip, sine, tempDir, writeWav } from '../../test-support/fixtures';
import { decodeAll, DecodeError, decodePcm, decodePcmRates, ffmpegReason } from './decode';
import { resolveFfmpeg } from './ffmpeg';

const tmp = tempDir();
afterAll(tmp.cleanup);

async function reasonFor(path: string): Promise<string> {
  try {
    await decodeAll(path, { sampleRate: 16000 });
  } catch (error) {
    expect(error).toBeInstanceOf(DecodeError);
    return (error as DecodeError).reason;
  }
  throw new Error(`expected ${path} to fail`);
}

describe('decodeAll', () => {
  const rmsOf = (x: Float32Array): number => Math.sqrt(x.reduce((a, v) => a + v * v, 0) / x.length);

  it('resamples 44.1 kHz to 16 kHz, keeping duration and the level of a mono file', async () => {
    const file = writeWav(join(tmp.dir, 'mono.wav'), sine(2, 44100, 440, 0.5), 44100);
    const pcm = await decodeAll(file, { sampleRate: 16000 });
    expect(Math.abs(pcm.length - 32000)).toBeLessThanOrEqual(2);
    expect(rmsOf(pcm.subarray(8000, 24000))).toBeCloseTo(0.5 / Math.SQRT2, 3);
  });

  // Regression: ffmpeg's default stereo downmix sums at -3 dB, which made stereo files 3 dB louder
  // than the reference extractor sees them. The mix must be the mean of the channels.
  it('downmixes stereo to the mean of its channels', async () => {
    const left = sine(2, 44100, 440, 0.5);
    const stereo = new Float32Array(left.length * 2);
    left.forEach((v, i) => {
      stereo[2 * i] = v;
      stereo[2 * i + 1] = 0.5 * v;
    });
    const file = writeWav(join(tmp.dir, 'stereo.wav'), stereo, 44100, 2);
    const pcm = await decodeAll(file, { sampleRate: 16000 });
    expect(rmsOf(pcm.subarray(8000, 24000))).toBeCloseTo((0.75 * 0.5) / Math.SQRT2, 3);
  });

  it('decodes real Ogg Vorbis and MP3 clips', async () => {
    const ogg = await decodeAll(sharedClip('music/sorohanro_-_solo-trumpet-06.ogg'), { sampleRate: 16000 });
    const mp3 = await decodeAll(sharedClip('music/TRWJAZW128F42760DD_test.mp3'), { sampleRate: 16000 });
    expect(ogg.length / 16000).toBeGreaterThan(3);
    expect(mp3.length / 16000).toBeCloseTo(30, 0);
    expect(rmsOf(mp3.subarray(0, 160000))).toBeGreaterThan(0.01);
  });

  it('handles spaces, quotes, colons and non-Latin characters in paths', async () => {
    const name = join(tmp.dir, `it's a "song": ünïcødé 音楽 — test.mp3`);
    copyFileSync(sharedClip('music/TRWJAZW128F42760DD_test.mp3'), name);
    const pcm = await decodeAll(name, { sampleRate: 16000 });
    expect(pcm.length).toBeGreaterThan(16000 * 20);
  });

  it('explains each kind of bad file in one line', async () => {
    const empty = join(tmp.dir, 'empty.mp3');
    writeFileSync(empty, '');
    expect(await reasonFor(empty)).toBe('empty file (0 bytes)');

    const text = join(tmp.dir, 'notes.mp3');
    writeFileSync(text, 'These are my shopping notes, not a song.\n'.repeat(50));
    expect(await reasonFor(text)).toBe("not an audio file ffmpeg can read (damaged, or not audio)");

    const garbage = join(tmp.dir, 'garbage.ogg');
    writeFileSync(garbage, Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919) % 256)));
    expect(await reasonFor(garbage)).toMatch(/not an audio file|could not decode|no audio/);

    expect(await reasonFor(join(tmp.dir, 'missing.flac'))).toBe('file not found');
    expect(await reasonFor(tmp.dir)).toBe('is a folder, not a file');
  });

  // Regression: random bytes named .flac gave ffmpeg's own words ("Cannot determine format of input
  // stream 0:0 after EOF") instead of the reason every other broken file gets.
  it('gives random bytes the plain reason whatever their extension', async () => {
    let seed = 12345;
    const random = Buffer.from(Array.from({ length: 20000 }, () => ((seed = (seed * 1103515245 + 12345) >>> 0) >>> 16) & 255));
    for (const ext of ['flac', 'ogg', 'opus', 'wav', 'mka', 'mkv', 'webm']) {
      const file = join(tmp.dir, `random.${ext}`);
      writeFileSync(file, random);
      expect(await reasonFor(file), ext).toBe('not an audio file ffmpeg can read (damaged, or not audio)');
    }
  });

  it('decodes the audio track of video and audiobook containers, and names a video without one', async () => {
    const ffmpeg = resolveFfmpeg().path;
    const make = (name: string, args: string[]): string => {
      const file = join(tmp.dir, name);
      const run = spawnSync(ffmpeg, ['-hide_banner', '-loglevel', 'error', '-y', ...args, '-t', '2', file]);
      expect(run.status, run.stderr.toString()).toBe(0);
      return file;
    };
    const video = ['-f', 'lavfi', '-i', 'testsrc=size=64x48:rate=10', '-c:v', 'mpeg4'];
    const tone = ['-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=44100', '-c:a', 'aac'];
    for (const file of [make('clip.mp4', [...video, ...tone]), make('clip.mkv', [...video, ...tone]), make('book.m4b', tone)]) {
      const pcm = await decodeAll(file, { sampleRate: 16000 });
      expect(pcm.length / 16000, file).toBeCloseTo(2, 1);
    }
    expect(await reasonFor(make('silent-film.mp4', video))).toBe('contains no audio stream');
  });

  it('decodes what there is of a truncated file', async () => {
    const bytes = readFileSync(sharedClip('music/bensound-cute.mp3'));
    const cut = join(tmp.dir, 'cut.mp3');
    writeFileSync(cut, bytes.subarray(0, Math.floor(bytes.length / 3)));
    const pcm = await decodeAll(cut, { sampleRate: 16000 });
    expect(pcm.length / 16000).toBeGreaterThan(5);
    expect(pcm.length / 16000).toBeLessThan(20);

    const header = join(tmp.dir, 'header-only.ogg');
    writeFileSync(header, readFileSync(sharedClip('music/Kevin_MacLeod_-_Vibe_Ace.ogg')).subarray(0, 200));
    expect(await reasonFor(header)).toMatch(/not an audio file|no audio could be decoded|could not decode/);
  });
});

describe('decodePcm', () => {
  it('reports decoding errors in a damaged file as a warning, keeping the audio', async () => {
    const bytes = Buffer.from(readFileSync(sharedClip('music/bensound-cute.mp3')));
    for (let i = 50000; i < 53000; i++) bytes[i] = (i * 131) % 251;
    const damaged = join(tmp.dir, 'damaged.mp3');
    writeFileSync(damaged, bytes);
    const report = { warnings: [] as string[] };
    let samples = 0;
    for await (const chunk of decodePcm(damaged, { sampleRate: 16000 }, report)) samples += chunk.length;
    expect(samples / 16000).toBeGreaterThan(25);
    expect(report.warnings).toEqual([expect.stringMatching(/decoding errors/)]);
  });

  it('stops ffmpeg when the consumer stops early', async () => {
    let chunks = 0;
    for await (const _chunk of decodePcm(sharedClip('music/Karissa_Hobbs_-_Lets_Go_Fishin.ogg'), { sampleRate: 16000 })) {
      if (++chunks === 2) break;
    }
    expect(chunks).toBe(2);
  });

  it('ends with "cancelled" when aborted', async () => {
    const controller = new AbortController();
    const run = async (): Promise<void> => {
      for await (const _chunk of decodePcm(sharedClip('music/Karissa_Hobbs_-_Lets_Go_Fishin.ogg'), {
        sampleRate: 16000,
        signal: controller.signal,
      })) {
        controller.abort();
      }
    };
    await expect(run()).rejects.toThrow('cancelled');
  });
});

describe('ffmpegReason', () => {
  it('hides the path and keeps the gist of unknown errors', () => {
    expect(ffmpegReason('/x/a.mp3: Something odd happened\n', '/x/a.mp3')).toBe('could not decode: Something odd happened');
    expect(ffmpegReason('[mov,mp4] moov atom not found\n/x/a.m4a: Invalid data', '/x/a.m4a')).toMatch(/incomplete MP4/);
  });
});

describe('decodePcmRates: one ffmpeg process, one output per sample rate', () => {
  it('gives each rate exactly the samples a decode at that rate alone gives', async () => {
    const clip = sharedClip('music/sorohanro_-_solo-trumpet-06.ogg');
    const streams: Float32Array[][] = [[], []];
    for await (const { stream, samples } of decodePcmRates(clip, { sampleRates: [16000, 32000] })) streams[stream]!.push(samples);
    const joined = streams.map((parts) => {
      const out = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
      let offset = 0;
      for (const p of parts) {
        out.set(p, offset);
        offset += p.length;
      }
      return out;
    });
    // Bit for bit: musicnn's parity with its reference depends on the 16 kHz stream being unchanged.
    expect(joined[0]).toEqual(await decodeAll(clip, { sampleRate: 16000 }));
    expect(joined[1]).toEqual(await decodeAll(clip, { sampleRate: 32000 }));
    expect(joined[1]!.length).toBeGreaterThan(1.99 * joined[0]!.length);
  });

  it('lets the caller stop early without hanging, and names a missing file', async () => {
    const chunks = decodePcmRates(sharedClip('music/Karissa_Hobbs_-_Lets_Go_Fishin.ogg'), { sampleRates: [16000, 32000] });
    for await (const _chunk of chunks) break;
    await expect(async () => {
      for await (const _chunk of decodePcmRates(join(tmp.dir, 'nothing-here.mp3'), { sampleRates: [16000, 32000] })) void _chunk;
    }).rejects.toThrow('file not found');
  });
});
