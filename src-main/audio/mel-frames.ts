// One STFT frame to one row of model input: window, power spectrum, mel filterbank, log and
// normalisation, as the manifest describes them. Shared by the streaming and the windowed patchers.
import { RealPowerSpectrum } from './fft';
import { LogCompression } from './log-compression';
import type { LogMelSpec } from './logmel';
import { applyMel, melFilterbank, type MelFilterbank } from './mel';

/** Periodic Hann window (the FFT-friendly variant scipy and librosa use). */
export function hannWindow(n: number): Float64Array {
  const w = new Float64Array(n);
  for (let i = 0; i < n; i++) w[i] = 0.5 - 0.5 * Math.cos((2 * Math.PI * i) / n);
  return w;
}

/** The analysis window of a spec: `winLength` samples centred in an nFft-long frame, zeros around. */
export function analysisWindow(spec: Pick<LogMelSpec, 'nFft' | 'winLength' | 'window'>): Float64Array {
  const length = spec.winLength ?? spec.nFft;
  if (length > spec.nFft) throw new Error(`the window (${length}) is longer than the FFT (${spec.nFft})`);
  const out = new Float64Array(spec.nFft);
  const offset = Math.floor((spec.nFft - length) / 2);
  if ((spec.window ?? 'hann') === 'hann') {
    out.set(hannWindow(length), offset);
    return out;
  }
  // torch.hann_window(periodic=False) is float32.
  for (let i = 0; i < length; i++) out[offset + i] = Math.fround(0.5 - 0.5 * Math.cos((2 * Math.PI * i) / (length - 1)));
  return out;
}

/** Turns raw frames (nFft samples, not yet windowed) into rows of nMels model input values. */
export class MelFrameAnalyzer {
  private readonly fft: RealPowerSpectrum;
  private readonly bank: MelFilterbank;
  private readonly window: Float64Array;
  /** First and one-past-last non-zero window sample: the rest of a frame need not be read. */
  private readonly windowFrom: number;
  private readonly windowTo: number;
  private readonly power: Float64Array;
  private readonly mel: Float64Array;
  private readonly log: LogCompression | undefined;
  private readonly logOffset: number | undefined;
  private readonly add: number;
  private readonly divide: number;

  constructor(private readonly spec: LogMelSpec) {
    this.fft = new RealPowerSpectrum(spec.nFft);
    this.bank = melFilterbank({
      sampleRate: spec.sampleRate,
      nFft: spec.nFft,
      nMels: spec.nMels,
      fminHz: spec.fminHz,
      fmaxHz: spec.fmaxHz,
      scale: spec.melScale,
      norm: spec.melNorm,
    });
    this.window = analysisWindow(spec);
    this.windowFrom = this.window.findIndex((w) => w !== 0);
    this.windowTo = this.window.length - [...this.window].reverse().findIndex((w) => w !== 0);
    this.power = new Float64Array(this.fft.bins);
    this.mel = new Float64Array(spec.nMels);
    this.logOffset = spec.logOffset;
    this.log = spec.logOffset === undefined ? new LogCompression(spec.logScale, spec.float16BeforeLog) : undefined;
    this.add = spec.normalize?.add ?? 0;
    this.divide = spec.normalize?.divide ?? 1;
  }

  /** The part of a frame the window does not zero: [from, to). */
  get span(): { readonly from: number; readonly to: number } {
    return { from: this.windowFrom, to: this.windowTo };
  }

  /** Windows `frame` in place and writes its nMels values to out[offset...]. */
  analyze(frame: Float64Array, out: Float32Array, offset: number): void {
    const { window, power, mel, spec } = this;
    for (let i = 0; i < this.windowFrom; i++) frame[i] = 0;
    for (let i = this.windowFrom; i < this.windowTo; i++) frame[i] = frame[i]! * window[i]!;
    for (let i = this.windowTo; i < frame.length; i++) frame[i] = 0;
    this.fft.power(frame, power);
    // The references keep the spectrum as float32.
    for (let k = 0; k < power.length; k++) power[k] = Math.fround(power[k]!);
    applyMel(this.bank, power, mel);
    if (this.log) {
      for (let m = 0; m < spec.nMels; m++) out[offset + m] = this.log.apply(Math.fround(mel[m]!));
      return;
    }
    const eps = this.logOffset!;
    for (let m = 0; m < spec.nMels; m++) {
      const logged = Math.fround(Math.log(Math.fround(Math.fround(mel[m]!) + eps)));
      out[offset + m] = (logged + this.add) / this.divide;
    }
  }
}
