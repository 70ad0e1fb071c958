// Windowed log-mel front end: the audio is cut into fixed windows (e.g. 10 s), and each window gets
// its own spectrogram, computed as a reference that runs the model on one clip at a time does it:
// pre-emphasis inside the window, a centred STFT padded by reflection at the window's own edges.
import type { LogMelSpec } from './logmel';
import { MelFrameAnalyzer } from './mel-frames';
import type { Patcher } from './patcher';
import { SampleBuffer } from './sample-buffer';

/** How the audio is cut into windows; mirrors `window_samples`, `window_hop_samples` and `tail`. */
export interface AudioWindowing {
  readonly windowSamples: number;
  readonly hopSamples: number;
  /**
   * The audio after the last whole window: `drop` it, or give it one more window aligned to the
   * end of the track (overlapping the one before), so every second of a track is heard.
   */
  readonly tail: 'drop' | 'end-aligned';
}

/** Frames a centred STFT gives a window of `samples` samples (after pre-emphasis, if any). */
export function windowFrames(spec: Pick<LogMelSpec, 'hop' | 'preEmphasis' | 'center' | 'nFft'>, samples: number): number {
  const length = samples - (spec.preEmphasis !== undefined ? 1 : 0);
  if (spec.center) return 1 + Math.floor(length / spec.hop);
  return length < spec.nFft ? 0 : 1 + Math.floor((length - spec.nFft) / spec.hop);
}

/** Index of a padded position in a signal of `length` samples under reflection (edge not repeated). */
function reflect(j: number, length: number): number {
  let i = j;
  // One reflection suffices while the pad is shorter than the signal, which the window length ensures.
  if (i < 0) i = -i;
  if (i >= length) i = 2 * (length - 1) - i;
  return i;
}

/**
 * Turns a PCM stream into one patch of patchFrames x nMels per audio window. Clips shorter than one
 * window are repeated until they fill it (with global average pooling in the model, a repeated clip
 * scores like the clip itself, where zero padding would pull every score towards silence).
 */
export class WindowLogMelPatcher implements Patcher {
  private readonly rows: MelFrameAnalyzer;
  private readonly frame: Float64Array;
  private readonly emphasised: Float32Array;
  private readonly frames: number;
  /** The samples later windows still read. */
  private readonly buffer: SampleBuffer;
  private samplesIn = 0;
  private nextStart = 0;
  /** End (exclusive, in stream samples) of the last window emitted. */
  private lastEnd = 0;
  private patchesOut = 0;
  private ended = false;

  constructor(
    private readonly spec: LogMelSpec,
    private readonly windowing: AudioWindowing,
    private readonly onPatch: (patch: Float32Array, index: number) => void,
  ) {
    this.frames = windowFrames(spec, windowing.windowSamples);
    if (this.frames !== spec.patchFrames) {
      throw new Error(`a window of ${windowing.windowSamples} samples gives ${this.frames} frames, not patch_frames ${spec.patchFrames}`);
    }
    if (windowing.hopSamples > windowing.windowSamples) throw new Error('window_hop_samples must not exceed window_samples');
    if (spec.center && spec.nFft / 2 >= windowing.windowSamples - 1) throw new Error('the window is too short for the STFT padding');
    this.rows = new MelFrameAnalyzer(spec);
    this.frame = new Float64Array(spec.nFft);
    this.emphasised = new Float32Array(windowing.windowSamples);
    this.buffer = new SampleBuffer(windowing.windowSamples * 2);
  }

  get samples(): number {
    return this.samplesIn;
  }

  get patches(): number {
    return this.patchesOut;
  }

  push(samples: Float32Array): void {
    if (this.ended) throw new Error('push() after end()');
    this.buffer.append(samples);
    this.samplesIn += samples.length;
    const size = this.windowing.windowSamples;
    while (this.nextStart + size <= this.samplesIn) {
      this.emit(this.slice(this.nextStart, size));
      this.lastEnd = this.nextStart + size;
      this.nextStart += this.windowing.hopSamples;
    }
    this.compact();
  }

  end(): void {
    if (this.ended) return;
    this.ended = true;
    const size = this.windowing.windowSamples;
    if (this.patchesOut === 0) {
      if (this.samplesIn > 0) this.emit(repeatToLength(this.slice(0, this.samplesIn), size));
      return;
    }
    if (this.windowing.tail === 'end-aligned' && this.lastEnd < this.samplesIn) {
      this.emit(this.slice(this.samplesIn - size, size));
    }
  }

  /** `length` samples from stream position `start` (a view; valid until the next push). */
  private slice(start: number, length: number): Float32Array {
    return this.buffer.view(start, length);
  }

  /** Drops samples no future window needs; the last window's worth stays for an end-aligned tail. */
  private compact(): void {
    this.buffer.dropBefore(Math.max(0, Math.min(this.nextStart, this.samplesIn - this.windowing.windowSamples)));
  }

  /** Computes the spectrogram of one window of audio and hands it on as a patch. */
  private emit(audio: Float32Array): void {
    const { spec, frame } = this;
    let signal = audio;
    if (spec.preEmphasis !== undefined) {
      // y[n] = x[n+1] - c x[n], as a two-tap convolution without padding (one sample shorter).
      const c = Math.fround(spec.preEmphasis);
      const y = this.emphasised;
      for (let n = 0; n + 1 < audio.length; n++) y[n] = audio[n + 1]! - c * audio[n]!;
      signal = y.subarray(0, audio.length - 1);
    }
    const length = signal.length;
    const half = spec.center ? spec.nFft / 2 : 0;
    const reflectPad = (spec.padMode ?? 'constant') === 'reflect';
    const { from, to } = this.rows.span;
    const patch = new Float32Array(spec.patchFrames * spec.nMels);
    for (let t = 0; t < this.frames; t++) {
      const origin = t * spec.hop - half;
      if (origin + from >= 0 && origin + to <= length) {
        for (let i = from; i < to; i++) frame[i] = signal[origin + i]!;
      } else {
        for (let i = from; i < to; i++) {
          const j = origin + i;
          if (j >= 0 && j < length) frame[i] = signal[j]!;
          else frame[i] = reflectPad ? signal[reflect(j, length)]! : 0;
        }
      }
      this.rows.analyze(frame, patch, t * spec.nMels);
    }
    this.onPatch(patch, this.patchesOut++);
  }
}

/** The clip repeated (and cut) to exactly `length` samples. */
function repeatToLength(clip: Float32Array, length: number): Float32Array {
  const out = new Float32Array(length);
  for (let offset = 0; offset < length; offset += clip.length) out.set(clip.subarray(0, Math.min(clip.length, length - offset)), offset);
  return out;
}
