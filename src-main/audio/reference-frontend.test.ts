// The log-mel front end against librosa on a signal both sides generate from the same formula
// (models/musicnn-msd/reference/mel-synthetic.json, written by the export script).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_MODEL_DIR } from '../../test-support/fixtures';
import { LogMelPatcher, type LogMelSpec } from './logmel';
import { melFilterbank } from './mel';

interface MelReference {
  signal: { sample_rate: number; n_samples: number };
  mel_basis: number[][];
  mel_power: number[][];
  logmel: number[][];
  n_frames: number;
}

const ref = JSON.parse(readFileSync(join(DEFAULT_MODEL_DIR, 'reference', 'mel-synthetic.json'), 'utf8')) as MelReference;

/** The formula written in the reference file. */
function synthetic(): Float32Array {
  const n = ref.signal.n_samples;
  const x = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const t = i / 16000;
    x[i] =
      0.5 * Math.sin(2 * Math.PI * 220 * t) +
      0.25 * Math.sin(2 * Math.PI * 1234.5 * t) +
      0.125 * Math.sin(2 * Math.PI * 5000 * t) +
      0.1 * Math.sin(2 * Math.PI * (100 * t + 0.5 * (6900 / 1.7) * t * t));
  }
  return x;
}

const SPEC: LogMelSpec = {
  sampleRate: 16000, nFft: 512, hop: 256, nMels: 96, fminHz: 0, fmaxHz: 8000, melScale: 'slaney',
  melNorm: 'slaney', center: true, float16BeforeLog: true, logScale: 10000,
  // One patch of exactly the reference's frame count, so every frame comes out.
  patchFrames: 107, patchHopFrames: 107,
};

describe('log-mel front end versus librosa', () => {
  it('builds the same Slaney mel filterbank', () => {
    const bank = melFilterbank({ sampleRate: 16000, nFft: 512, nMels: 96, fminHz: 0, fmaxHz: 8000, scale: 'slaney', norm: 'slaney' });
    let maxDiff = 0;
    for (let m = 0; m < 96; m++) {
      for (let k = 0; k < 257; k++) {
        const i = k - bank.start[m]!;
        const ours = i >= 0 && i < bank.weights[m]!.length ? bank.weights[m]![i]! : 0;
        maxDiff = Math.max(maxDiff, Math.abs(ours - ref.mel_basis[m]![k]!));
      }
    }
    expect(maxDiff).toBeLessThan(1e-8);
  });

  it('computes the same log-mel spectrogram, frame for frame', () => {
    expect(ref.n_frames).toBe(107);
    const patches: Float32Array[] = [];
    const patcher = new LogMelPatcher(SPEC, (p) => patches.push(p));
    patcher.push(synthetic());
    patcher.end();
    expect(patches).toHaveLength(1);
    const ours = patches[0]!;
    let maxDiff = 0;
    let sumDiff = 0;
    for (let f = 0; f < 107; f++) {
      for (let m = 0; m < 96; m++) {
        const d = Math.abs(ours[f * 96 + m]! - ref.logmel[f]![m]!);
        maxDiff = Math.max(maxDiff, d);
        sumDiff += d;
      }
    }
    // Float rounding order differs (float64 FFT and sums here); a value on a float16 rounding
    // boundary may land one float16 step away, which moves its log by less than 1e-3.
    expect(maxDiff).toBeLessThan(1e-3);
    expect(sumDiff / (107 * 96)).toBeLessThan(1e-6);
  });
});
