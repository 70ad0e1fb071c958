// Mel filterbanks: the Slaney-style mel scale and area normalisation used by the reference extractor
// (librosa.filters.mel with htk=False, norm="slaney"), the HTK scale for models that ask for it, and
// Kaldi's banks (triangles drawn on the mel axis itself, 1127 ln(1 + f/700), Nyquist bin unused).

export type MelScale = 'slaney' | 'htk' | 'kaldi';

const SLANEY_F_SP = 200 / 3;
const SLANEY_MIN_LOG_HZ = 1000;
const SLANEY_MIN_LOG_MEL = SLANEY_MIN_LOG_HZ / SLANEY_F_SP;
const SLANEY_LOG_STEP = Math.log(6.4) / 27;

/** Hertz to mels on the given scale. */
export function hzToMel(hz: number, scale: MelScale): number {
  if (scale === 'kaldi') return 1127 * Math.log(1 + hz / 700);
  if (scale === 'htk') return 2595 * Math.log10(1 + hz / 700);
  if (hz >= SLANEY_MIN_LOG_HZ) return SLANEY_MIN_LOG_MEL + Math.log(hz / SLANEY_MIN_LOG_HZ) / SLANEY_LOG_STEP;
  return hz / SLANEY_F_SP;
}

/** Mels to hertz on the given scale. */
export function melToHz(mel: number, scale: MelScale): number {
  if (scale === 'kaldi') return 700 * (Math.exp(mel / 1127) - 1);
  if (scale === 'htk') return 700 * (10 ** (mel / 2595) - 1);
  if (mel >= SLANEY_MIN_LOG_MEL) return SLANEY_MIN_LOG_HZ * Math.exp(SLANEY_LOG_STEP * (mel - SLANEY_MIN_LOG_MEL));
  return SLANEY_F_SP * mel;
}

export interface MelFilterbankSpec {
  readonly sampleRate: number;
  readonly nFft: number;
  readonly nMels: number;
  readonly fminHz: number;
  readonly fmaxHz: number;
  readonly scale: MelScale;
  /** "slaney" divides each triangle by its width in Hz (equal area); null leaves peaks at 1. */
  readonly norm: 'slaney' | null;
}

/** A sparse mel filterbank: for each band, the first FFT bin it touches and its weights. */
export interface MelFilterbank {
  readonly nMels: number;
  readonly bins: number;
  readonly start: Int32Array;
  readonly weights: Float32Array[];
}

/** Builds the filterbank; weights are rounded to float32 as the reference stores them. */
export function melFilterbank(spec: MelFilterbankSpec): MelFilterbank {
  if (spec.scale === 'kaldi') return kaldiFilterbank(spec);
  const bins = spec.nFft / 2 + 1;
  const fftFreqs = Array.from({ length: bins }, (_, k) => (k * spec.sampleRate) / spec.nFft);
  const melMin = hzToMel(spec.fminHz, spec.scale);
  const melMax = hzToMel(spec.fmaxHz, spec.scale);
  const edges = Array.from({ length: spec.nMels + 2 }, (_, i) =>
    melToHz(melMin + ((melMax - melMin) * i) / (spec.nMels + 1), spec.scale),
  );
  const start = new Int32Array(spec.nMels);
  const weights: Float32Array[] = [];
  for (let m = 0; m < spec.nMels; m++) {
    const lo = edges[m]!;
    const mid = edges[m + 1]!;
    const hi = edges[m + 2]!;
    const scale = spec.norm === 'slaney' ? 2 / (hi - lo) : 1;
    const row: number[] = [];
    let first = -1;
    for (let k = 0; k < bins; k++) {
      const f = fftFreqs[k]!;
      const lower = (f - lo) / (mid - lo);
      const upper = (hi - f) / (hi - mid);
      const w = Math.max(0, Math.min(lower, upper));
      if (w > 0) {
        if (first < 0) first = k;
        // Zeros inside the band are kept so indices stay contiguous.
        while (row.length < k - first) row.push(0);
        row.push(w * scale);
      }
    }
    start[m] = Math.max(first, 0);
    weights.push(Float32Array.from(row));
  }
  return { nMels: spec.nMels, bins, start, weights };
}

/**
 * Kaldi's mel banks (torchaudio.compliance.kaldi.get_mel_banks without VTLN warping): band m rises
 * linearly in mels from edge m to edge m+1 and falls to edge m+2, evaluated at the mel value of
 * each FFT bin below Nyquist; peaks are 1 (no area normalisation) and the Nyquist bin gets 0.
 */
function kaldiFilterbank(spec: MelFilterbankSpec): MelFilterbank {
  const bins = spec.nFft / 2 + 1;
  const binHz = spec.sampleRate / spec.nFft;
  const melLow = hzToMel(spec.fminHz, 'kaldi');
  const delta = (hzToMel(spec.fmaxHz, 'kaldi') - melLow) / (spec.nMels + 1);
  const start = new Int32Array(spec.nMels);
  const weights: Float32Array[] = [];
  for (let m = 0; m < spec.nMels; m++) {
    const left = melLow + m * delta;
    const centre = melLow + (m + 1) * delta;
    const right = melLow + (m + 2) * delta;
    const row: number[] = [];
    let first = -1;
    for (let k = 0; k < bins - 1; k++) {
      const mel = hzToMel(binHz * k, 'kaldi');
      const w = Math.max(0, Math.min((mel - left) / (centre - left), (right - mel) / (right - centre)));
      if (w > 0) {
        if (first < 0) first = k;
        while (row.length < k - first) row.push(0);
        row.push(w);
      }
    }
    start[m] = Math.max(first, 0);
    weights.push(Float32Array.from(row));
  }
  return { nMels: spec.nMels, bins, start, weights };
}

/** Applies the filterbank to one power spectrum, writing nMels values into `out`. */
export function applyMel(bank: MelFilterbank, power: Float64Array, out: Float64Array): void {
  for (let m = 0; m < bank.nMels; m++) {
    const w = bank.weights[m]!;
    const s = bank.start[m]!;
    let acc = 0;
    for (let i = 0; i < w.length; i++) acc += w[i]! * power[s + i]!;
    out[m] = acc;
  }
}
