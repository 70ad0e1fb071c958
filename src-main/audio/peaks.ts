// Waveform peaks for display: the minimum and maximum sample of each fixed-length bucket, computed
// in the same pass as the model input so no file is decoded twice.

/** Accumulates min/max peaks over a PCM stream. */
export class PeakBuilder {
  private readonly min: number[] = [];
  private readonly max: number[] = [];
  private bucketMin = Infinity;
  private bucketMax = -Infinity;
  private inBucket = 0;

  constructor(readonly samplesPerPeak: number) {
    if (!(samplesPerPeak >= 1)) throw new Error('samplesPerPeak must be at least 1');
  }

  push(samples: Float32Array): void {
    for (let i = 0; i < samples.length; i++) {
      const v = samples[i]!;
      if (v < this.bucketMin) this.bucketMin = v;
      if (v > this.bucketMax) this.bucketMax = v;
      if (++this.inBucket === this.samplesPerPeak) this.close();
    }
  }

  /** Returns interleaved [min0, max0, min1, max1, ...] rounded to 1/10000, the form the UI stores. */
  finish(): Float32Array {
    if (this.inBucket > 0) this.close();
    const out = new Float32Array(this.min.length * 2);
    for (let i = 0; i < this.min.length; i++) {
      out[2 * i] = Math.round(this.min[i]! * 1e4) / 1e4;
      out[2 * i + 1] = Math.round(this.max[i]! * 1e4) / 1e4;
    }
    return out;
  }

  private close(): void {
    this.min.push(Math.max(-1, this.bucketMin));
    this.max.push(Math.min(1, this.bucketMax));
    this.bucketMin = Infinity;
    this.bucketMax = -Infinity;
    this.inBucket = 0;
  }
}
