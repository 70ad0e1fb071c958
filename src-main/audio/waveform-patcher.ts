// Front end for models that take raw waveform patches instead of a spectrogram.
import { repeatPad, type Patcher } from './patcher';

/** Cuts PCM into non-overlapping patches of `patchSamples`; a short clip is repeat-padded. */
export class WaveformPatcher implements Patcher {
  private patch: Float32Array;
  private fill = 0;
  private samplesIn = 0;
  private patchesOut = 0;
  private ended = false;

  constructor(
    private readonly patchSamples: number,
    private readonly onPatch: (patch: Float32Array, index: number) => void,
  ) {
    this.patch = new Float32Array(patchSamples);
  }

  get samples(): number {
    return this.samplesIn;
  }

  get patches(): number {
    return this.patchesOut;
  }

  push(samples: Float32Array): void {
    if (this.ended) throw new Error('push() after end()');
    this.samplesIn += samples.length;
    let offset = 0;
    while (offset < samples.length) {
      const take = Math.min(this.patchSamples - this.fill, samples.length - offset);
      this.patch.set(samples.subarray(offset, offset + take), this.fill);
      this.fill += take;
      offset += take;
      if (this.fill === this.patchSamples) {
        this.onPatch(this.patch, this.patchesOut++);
        this.patch = new Float32Array(this.patchSamples);
        this.fill = 0;
      }
    }
  }

  end(): void {
    if (this.ended) return;
    this.ended = true;
    if (this.patchesOut === 0 && this.fill > 0) {
      repeatPad(this.patch, this.fill);
      this.onPatch(this.patch, this.patchesOut++);
    }
  }
}
