// Streaming log-mel front end: PCM in, fixed-size spectrogram patches out, computed exactly the way
// the model's manifest describes (centred STFT, mel filterbank, float16 rounding, log compression).
import { RealPowerSpectrum } from './fft';
import { applyMel, melFilterbank, type MelFilterbank, type MelScale } from './mel';
import { repeatPad, type Patcher } from './patcher';

/** The log-mel input a model expects; mirrors the `input` block of eno-model.json. */
export interface LogMelSpec {
  readonly sampleRate: number;
  readonly nFft: number;
  readonly hop: number;
  readonly nMels: number;
  readonly fminHz: number;
  readonly fmaxHz: number;
  readonly melScale: MelScale;
  readonly melNorm: 'slaney' | null;
  /** Zero padding of nFft/2 samples on both sides, so frame t is centred on sample t*hop. */
  readonly center: boolean;
  /** Round mel power to float16 before the log, as the reference extractor does. */
  readonly float16BeforeLog: boolean;
  /** Multiplier C of log10(1 + C * x). */
  readonly logScale: number;
  readonly patchFrames: number;
  readonly patchHopFrames: number;
}

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

function roundHalfEven(v: number): number {
  const floor = Math.floor(v);
  const diff = v - floor;
  if (diff > 0.5) return floor + 1;
  if (diff < 0.5) return floor;
  return floor % 2 === 0 ? floor : floor + 1;
}

const FLOAT16_MAX = 65504;

/**
 * Rounds a non-negative float32 value to the nearest float16 (ties to even), as numpy's astype does.
 * Values past the float16 range are clamped to its maximum rather than becoming infinite.
 */
export function roundToFloat16(x: number): number {
  if (!(x > 0)) return 0;
  if (x >= FLOAT16_MAX) return FLOAT16_MAX;
  f32[0] = x;
  const bits = u32[0]!;
  if (((bits >>> 23) & 0xff) < FLOAT16_MIN_NORMAL_EXP) {
    // float16 subnormals are multiples of 2^-24.
    return roundHalfEven(f32[0]! * 2 ** 24) / 2 ** 24;
  }
  u32[0] = roundToHalfBits(bits);
  return Math.min(f32[0]!, FLOAT16_MAX);
}

/** float32 exponent field of the smallest normal float16 (2^-14). */
const FLOAT16_MIN_NORMAL_EXP = 113;

/** The float32 bits of a normal value rounded to float16 precision (10 mantissa bits, ties to even). */
function roundToHalfBits(bits: number): number {
  const lower = bits & 0x1fff;
  let upper = bits - lower;
  if (lower > 0x1000 || (lower === 0x1000 && (bits & 0x2000) !== 0)) upper += 0x2000;
  return upper >>> 0;
}

/** log10(1 + C * x) of float32 mel power, as the model was trained on it. */
export class LogCompression {
  /** For float16-rounded inputs: the result for each normal float16 value, indexed by its bits. */
  private readonly table: Float32Array | undefined;

  constructor(
    private readonly scale: number,
    private readonly float16: boolean,
  ) {
    if (!float16) return;
    // Normal float16 values have float32 exponent fields 113..142 and 10 mantissa bits.
    this.table = new Float32Array(30 * 1024);
    for (let i = 0; i < this.table.length; i++) {
      u32[0] = ((i + (FLOAT16_MIN_NORMAL_EXP << 10)) << 13) >>> 0;
      this.table[i] = this.direct(f32[0]!);
    }
  }

  /** Float32 arithmetic throughout, as numpy does it on float32 arrays. */
  private direct(x: number): number {
    return Math.fround(Math.log10(Math.fround(Math.fround(this.scale * x) + 1)));
  }

  /** Compresses one float32 value. */
  apply(x: number): number {
    if (!this.table) return this.direct(x);
    if (!(x > 0)) return 0;
    if (x >= FLOAT16_MAX) return this.direct(FLOAT16_MAX);
    f32[0] = x;
    const bits = u32[0]!;
    if (((bits >>> 23) & 0xff) < FLOAT16_MIN_NORMAL_EXP) return this.direct(roundToFloat16(x));
    const index = (roundToHalfBits(bits) >>> 13) - (FLOAT16_MIN_NORMAL_EXP << 10);
    return index < this.table.length ? this.table[index]! : this.direct(FLOAT16_MAX);
  }
}

/** Periodic Hann window (the FFT-friendly variant scipy and librosa use). */
export function hannWindow(n: number): Float64Array {
  const w = new Float64Array(n);
  for (let i = 0; i < n; i++) w[i] = 0.5 - 0.5 * Math.cos((2 * Math.PI * i) / n);
  return w;
}

/** Number of STFT frames for a clip of `samples` samples. */
export function frameCount(samples: number, spec: Pick<LogMelSpec, 'nFft' | 'hop' | 'center'>): number {
  if (spec.center) return 1 + Math.floor(samples / spec.hop);
  return samples < spec.nFft ? 0 : 1 + Math.floor((samples - spec.nFft) / spec.hop);
}

/**
 * Turns a PCM stream into patches of `patchFrames` x `nMels` (row-major, time first). Feed it with
 * push(), then call end(); each completed patch goes to `onPatch` and its buffer is not reused.
 * Memory stays bounded: at most one frame of samples and one patch of frames are held.
 */
export class LogMelPatcher implements Patcher {
  private readonly fft: RealPowerSpectrum;
  private readonly bank: MelFilterbank;
  private readonly window: Float64Array;
  private readonly frame: Float64Array;
  private readonly power: Float64Array;
  private readonly mel: Float64Array;
  private readonly log: LogCompression;
  /** Samples not yet fully consumed; `bufferStart` is the absolute index of buffer[0]. */
  private buffer: Float32Array;
  private bufferLength = 0;
  private bufferStart = 0;
  private samplesIn = 0;
  private nextFrame = 0;
  private patch: Float32Array;
  private patchFill = 0;
  private patchesOut = 0;
  private ended = false;

  constructor(
    private readonly spec: LogMelSpec,
    private readonly onPatch: (patch: Float32Array, index: number) => void,
  ) {
    if (spec.patchHopFrames !== spec.patchFrames) {
      throw new Error('overlapping patches are not supported: patch_hop_frames must equal patch_frames');
    }
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
    this.window = hannWindow(spec.nFft);
    this.frame = new Float64Array(spec.nFft);
    this.power = new Float64Array(this.fft.bins);
    this.mel = new Float64Array(spec.nMels);
    this.log = new LogCompression(spec.logScale, spec.float16BeforeLog);
    this.buffer = new Float32Array(spec.nFft * 4);
    this.patch = new Float32Array(spec.patchFrames * spec.nMels);
  }

  /** Samples received so far. */
  get samples(): number {
    return this.samplesIn;
  }

  /** Patches emitted so far. */
  get patches(): number {
    return this.patchesOut;
  }

  /** Adds samples and emits every patch they complete. */
  push(samples: Float32Array): void {
    if (this.ended) throw new Error('push() after end()');
    this.append(samples);
    this.samplesIn += samples.length;
    const half = this.spec.center ? this.spec.nFft / 2 : 0;
    // Frame t needs samples up to t*hop - half + nFft - 1.
    while (this.nextFrame * this.spec.hop - half + this.spec.nFft <= this.samplesIn) this.emitFrame();
    this.compact();
  }

  /** Flushes the final frames (zero padded) and, for clips shorter than a patch, the padded patch. */
  end(): void {
    if (this.ended) return;
    this.ended = true;
    const total = frameCount(this.samplesIn, this.spec);
    while (this.nextFrame < total) this.emitFrame();
    if (this.patchesOut === 0 && this.patchFill > 0) this.emitRepeatPadded();
  }

  private append(samples: Float32Array): void {
    const needed = this.bufferLength + samples.length;
    if (needed > this.buffer.length) {
      const grown = new Float32Array(Math.max(needed, this.buffer.length * 2));
      grown.set(this.buffer.subarray(0, this.bufferLength));
      this.buffer = grown;
    }
    this.buffer.set(samples, this.bufferLength);
    this.bufferLength += samples.length;
  }

  /** Drops samples that no future frame needs. */
  private compact(): void {
    const half = this.spec.center ? this.spec.nFft / 2 : 0;
    const firstNeeded = Math.max(0, this.nextFrame * this.spec.hop - half);
    const drop = Math.min(firstNeeded - this.bufferStart, this.bufferLength);
    if (drop <= 0) return;
    this.buffer.copyWithin(0, drop, this.bufferLength);
    this.bufferLength -= drop;
    this.bufferStart += drop;
  }

  private emitFrame(): void {
    const { spec, frame, window, power, mel, buffer } = this;
    const half = spec.center ? spec.nFft / 2 : 0;
    const origin = this.nextFrame * spec.hop - half;
    // Samples outside the signal are the zero padding of a centred STFT.
    const from = Math.max(0, -origin);
    const to = Math.min(spec.nFft, this.samplesIn - origin);
    const offset = origin - this.bufferStart;
    for (let i = 0; i < from; i++) frame[i] = 0;
    for (let i = from; i < to; i++) frame[i] = buffer[offset + i]! * window[i]!;
    for (let i = Math.max(to, from); i < spec.nFft; i++) frame[i] = 0;
    this.fft.power(frame, power);
    // The reference keeps the spectrum as float32.
    for (let k = 0; k < power.length; k++) power[k] = Math.fround(power[k]!);
    applyMel(this.bank, power, mel);
    const row = this.patchFill * spec.nMels;
    for (let m = 0; m < spec.nMels; m++) this.patch[row + m] = this.log.apply(Math.fround(mel[m]!));
    this.nextFrame++;
    this.patchFill++;
    if (this.patchFill === spec.patchFrames) {
      this.onPatch(this.patch, this.patchesOut++);
      this.patch = new Float32Array(spec.patchFrames * spec.nMels);
      this.patchFill = 0;
    }
  }

  /** Repeats the frames of a short clip until they fill one patch (the model's training rule). */
  private emitRepeatPadded(): void {
    repeatPad(this.patch, this.patchFill * this.spec.nMels);
    this.patchFill = this.spec.patchFrames;
    this.onPatch(this.patch, this.patchesOut++);
  }
}
