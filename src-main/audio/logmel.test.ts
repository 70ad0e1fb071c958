import { describe, expect, it } from 'vitest';
import { frameCount, LogCompression, LogMelPatcher, roundToFloat16, type LogMelSpec } from './logmel';

const SPEC: LogMelSpec = {
  sampleRate: 16000,
  nFft: 512,
  hop: 256,
  nMels: 96,
  fminHz: 0,
  fmaxHz: 8000,
  melScale: 'slaney',
  melNorm: 'slaney',
  center: true,
  float16BeforeLog: true,
  logScale: 10000,
  patchFrames: 187,
  patchHopFrames: 187,
};

function noise(n: number, seed = 7): Float32Array {
  const out = new Float32Array(n);
  let s = seed;
  for (let i = 0; i < n; i++) {
    s = (s * 1664525 + 1013904223) % 2 ** 32;
    out[i] = (s / 2 ** 32 - 0.5) * 0.6;
  }
  return out;
}

function patchesOf(signal: Float32Array, chunk: number): Float32Array[] {
  const out: Float32Array[] = [];
  const p = new LogMelPatcher(SPEC, (patch) => out.push(patch));
  for (let i = 0; i < signal.length; i += chunk) p.push(signal.subarray(i, i + chunk));
  p.end();
  return out;
}

describe('roundToFloat16', () => {
  it('rounds like numpy float16 (ties to even, subnormals, clamped overflow)', () => {
    expect(roundToFloat16(1)).toBe(1);
    expect(roundToFloat16(0.1)).toBe(0.0999755859375);
    expect(roundToFloat16(1 + 2 ** -11)).toBe(1); // tie rounds to even mantissa
    expect(roundToFloat16(1 + 3 * 2 ** -11)).toBe(1 + 2 ** -9);
    expect(roundToFloat16(2049)).toBe(2048);
    expect(roundToFloat16(3e-6)).toBeCloseTo(50 * 2 ** -24, 12);
    expect(roundToFloat16(1e-9)).toBe(0);
    expect(roundToFloat16(70000)).toBe(65504);
    expect(roundToFloat16(0)).toBe(0);
  });
});

describe('LogMelPatcher', () => {
  it('counts frames as a centred STFT does', () => {
    expect(frameCount(48000, SPEC)).toBe(188);
    expect(frameCount(0, SPEC)).toBe(1);
  });

  it('drops the trailing partial patch, like the reference', () => {
    // 30 s -> 1876 frames -> 10 whole patches of 187 frames.
    const patches = patchesOf(noise(16000 * 30), 4096);
    expect(patches).toHaveLength(10);
    expect(patches[0]).toHaveLength(187 * 96);
  });

  it('gives the same patches whatever the chunking of the input', () => {
    const signal = noise(16000 * 7 + 123);
    const a = patchesOf(signal, signal.length);
    const b = patchesOf(signal, 1000);
    const c = patchesOf(signal, 17);
    expect(a).toHaveLength(2);
    for (let i = 0; i < a.length; i++) {
      expect(Array.from(b[i]!)).toEqual(Array.from(a[i]!));
      expect(Array.from(c[i]!)).toEqual(Array.from(a[i]!));
    }
  });

  it('repeats the frames of a clip shorter than one patch', () => {
    const patches = patchesOf(noise(16000), 4000); // 1 s -> 63 frames
    expect(patches).toHaveLength(1);
    const p = patches[0]!;
    const row = (f: number): number[] => Array.from(p.subarray(f * 96, (f + 1) * 96));
    expect(row(63)).toEqual(row(0));
    expect(row(126 + 5)).toEqual(row(5));
    expect(row(186)).toEqual(row(186 - 126));
  });

  it('maps digital silence to zeros', () => {
    const patches = patchesOf(new Float32Array(16000 * 4), 4096);
    expect(patches).toHaveLength(1);
    expect(patches[0]!.every((v) => v === 0)).toBe(true);
  });
});

describe('LogCompression', () => {
  it('gives exactly the direct formula on float16-rounded values, across the whole range', () => {
    const log = new LogCompression(10000, true);
    const direct = (x: number): number =>
      Math.fround(Math.log10(Math.fround(Math.fround(10000 * roundToFloat16(x)) + 1)));
    for (let e = -30; e <= 17; e += 0.37) {
      const x = Math.fround(2 ** e * 1.2345);
      expect(log.apply(x)).toBe(direct(x));
    }
    expect(log.apply(0)).toBe(0);
    expect(log.apply(1e6)).toBe(direct(65504));
  });
});
