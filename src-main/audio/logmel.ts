// Streaming log-mel front end: PCM in, fixed-size spectrogram patches out, computed exactly the way
// the model's manifest describes (centred STFT, mel filterbank, float16 rounding, log compression).
import { MelFrameAnalyzer } from './mel-frames';
import type { MelScale } from './mel';
import { repeatPad, type Patcher } from './patcher';
import { SampleBuffer } from './sample-buffer';

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
  /** Padding of nFft/2 samples on both sides, so frame t is centred on sample t*hop. */
  readonly center: boolean;
  /** Round mel power to float16 before the log, as the reference extractor does. */
  readonly float16BeforeLog: boolean;
  /** Multiplier C of log10(1 + C * x); ignored when `logOffset` is set. */
  readonly logScale: number;
  /** When set, the log is ln(x + logOffset) instead. */
  readonly logOffset?: number;
  /** When set, each log value becomes (x + add) / divide. */
  readonly normalize?: { readonly add: number; readonly divide: number };
  /** Samples the window covers (centred in the nFft frame); default nFft. */
  readonly winLength?: number;
  /** `hann`: periodic (librosa, scipy); `hann-symmetric`: torch.hann_window(periodic=False). */
  readonly window?: 'hann' | 'hann-symmetric';
  /** How a centred STFT pads the ends: zeros (default) or a reflection of the signal. */
  readonly padMode?: 'constant' | 'reflect';
  /** Coefficient c of the pre-emphasis y[n] = x[n+1] - c x[n] (one sample shorter); none when unset. */
  readonly preEmphasis?: number;
  readonly patchFrames: number;
  readonly patchHopFrames: number;
}

export { hannWindow } from './mel-frames';
export { LogCompression, roundToFloat16 } from './log-compression';

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
  private readonly rows: MelFrameAnalyzer;
  private readonly frame: Float64Array;
  /** Samples not yet fully consumed. */
  private readonly buffer: SampleBuffer;
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
    if (spec.preEmphasis !== undefined || (spec.padMode ?? 'constant') !== 'constant') {
      throw new Error('pre-emphasis and reflect padding need windows of audio (segment "audio")');
    }
    this.rows = new MelFrameAnalyzer(spec);
    this.frame = new Float64Array(spec.nFft);
    this.buffer = new SampleBuffer(spec.nFft * 4);
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
    this.buffer.append(samples);
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

  /** Drops samples that no future frame needs. */
  private compact(): void {
    const half = this.spec.center ? this.spec.nFft / 2 : 0;
    this.buffer.dropBefore(Math.max(0, this.nextFrame * this.spec.hop - half));
  }

  private emitFrame(): void {
    const { spec, frame } = this;
    const half = spec.center ? spec.nFft / 2 : 0;
    const origin = this.nextFrame * spec.hop - half;
    // Samples outside the signal are the zero padding of a centred STFT.
    const from = Math.max(0, -origin);
    const to = Math.min(spec.nFft, this.samplesIn - origin);
    const kept = this.buffer.view(origin + from, to - from);
    for (let i = 0; i < from; i++) frame[i] = 0;
    for (let i = from; i < to; i++) frame[i] = kept[i - from]!;
    for (let i = Math.max(to, from); i < spec.nFft; i++) frame[i] = 0;
    this.rows.analyze(frame, this.patch, this.patchFill * spec.nMels);
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
