// The windowed front end (pre-emphasis, reflect-padded STFT, Kaldi mel banks, ln and normalisation)
// against EfficientAT's own AugmentMelSTFT on a synthetic signal
// (models/efficientat-mn04/reference/mel-synthetic.json, written by the export script), and the
// windowing rule: whole windows, an end-aligned tail, short clips repeated.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EFFICIENTAT_MODEL_DIR } from '../../test-support/fixtures';
import { loadModelBundle, logMelSpecOf } from '../inference/manifest';
import { melFilterbank } from './mel';
import { WindowLogMelPatcher } from './window-logmel';

interface MelReference {
  signal: { sample_rate: number; n_samples: number; signal_f32le_base64: string };
  mel_banks: Array<{ start: number; weights: number[] }>;
  n_frames: number;
  logmel: number[][];
}

const ref = JSON.parse(readFileSync(join(EFFICIENTAT_MODEL_DIR, 'reference', 'mel-synthetic.json'), 'utf8')) as MelReference;

function signal(): Float32Array {
  const bytes = Buffer.from(ref.signal.signal_f32le_base64, 'base64');
  return new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length));
}

async function spec(patchFrames: number) {
  const bundle = await loadModelBundle(EFFICIENTAT_MODEL_DIR);
  return { ...logMelSpecOf(bundle.manifest)!, patchFrames, patchHopFrames: patchFrames };
}

describe('windowed log-mel front end versus the upstream AugmentMelSTFT', () => {
  it('builds the same Kaldi mel banks', async () => {
    const s = await spec(170);
    const bank = melFilterbank({ sampleRate: 32000, nFft: 1024, nMels: 128, fminHz: s.fminHz, fmaxHz: s.fmaxHz, scale: 'kaldi', norm: null });
    expect(ref.mel_banks).toHaveLength(128);
    let maxDiff = 0;
    ref.mel_banks.forEach((band, m) => {
      expect(bank.start[m]).toBe(band.start);
      band.weights.forEach((w, i) => (maxDiff = Math.max(maxDiff, Math.abs((bank.weights[m]![i] ?? 0) - w))));
    });
    // torchaudio computes the mel positions in float32 (measured: 1.3e-5 at most); these are float64.
    expect(maxDiff).toBeLessThan(1e-4);
  });

  it('computes the same normalised log-mel spectrogram, frame for frame', async () => {
    const x = signal();
    expect(x.length).toBe(ref.signal.n_samples);
    const patches: Float32Array[] = [];
    const patcher = new WindowLogMelPatcher(await spec(ref.n_frames), { windowSamples: x.length, hopSamples: x.length, tail: 'drop' }, (p) => patches.push(p));
    patcher.push(x);
    patcher.end();
    expect(patches).toHaveLength(1);
    let maxDiff = 0;
    let sum = 0;
    for (let f = 0; f < ref.n_frames; f++) {
      for (let m = 0; m < 128; m++) {
        const d = Math.abs(patches[0]![f * 128 + m]! - ref.logmel[f]![m]!);
        maxDiff = Math.max(maxDiff, d);
        sum += d;
      }
    }
    // float32 FFT and sums there, float64 here: the log of the weakest bands moves by ~1e-5 at most.
    expect(sum / (ref.n_frames * 128)).toBeLessThan(1e-5);
    expect(maxDiff).toBeLessThan(1e-3);
  });
});

describe('WindowLogMelPatcher windowing', () => {
  const tiny = { sampleRate: 1000, nFft: 16, hop: 8, nMels: 4, fminHz: 0, fmaxHz: 500, melScale: 'kaldi' as const, melNorm: null, center: true,
    float16BeforeLog: false, logScale: Number.NaN, logOffset: 1e-5, winLength: 12, window: 'hann-symmetric' as const, padMode: 'reflect' as const, preEmphasis: 0.97 };
  const run = (samples: number, tail: 'drop' | 'end-aligned', chunk = 37): Float32Array[] => {
    const out: Float32Array[] = [];
    // 100-sample windows: 99 samples after pre-emphasis, 1 + floor(99 / 8) = 13 frames.
    const p = new WindowLogMelPatcher({ ...tiny, patchFrames: 13, patchHopFrames: 13 }, { windowSamples: 100, hopSamples: 100, tail }, (x) => out.push(x));
    const x = Float32Array.from({ length: samples }, (_, i) => Math.sin(i * 0.3) * (1 + (i % 7) / 10));
    for (let i = 0; i < samples; i += chunk) p.push(x.subarray(i, i + chunk));
    p.end();
    return out;
  };

  it('emits whole windows, plus one aligned to the end for the tail when asked', () => {
    expect(run(200, 'end-aligned')).toHaveLength(2);
    expect(run(250, 'drop')).toHaveLength(2);
    const withTail = run(250, 'end-aligned');
    expect(withTail).toHaveLength(3);
    // The tail window is samples 150..249: not a copy of the window before it.
    expect(withTail[2]).not.toEqual(withTail[1]);
  });

  it('gives the same windows whatever the chunking of the stream', () => {
    expect(run(250, 'end-aligned', 7)).toEqual(run(250, 'end-aligned', 250));
  });

  it('repeats a clip shorter than a window until it fills one', () => {
    expect(run(40, 'end-aligned')).toHaveLength(1);
    expect(run(0, 'end-aligned')).toHaveLength(0);
  });
});
