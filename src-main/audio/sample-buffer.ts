// The samples of a stream a front end still needs: appended at the end as they arrive, dropped
// from the front once no later frame or window reads them. Positions count samples from the start
// of the stream.

/** A sliding store of stream samples. */
export class SampleBuffer {
  private data: Float32Array;
  private kept = 0;
  /** Stream position of data[0]. */
  private first = 0;

  constructor(initialCapacity: number) {
    this.data = new Float32Array(initialCapacity);
  }

  /** Adds samples at the end, growing the store when they do not fit. */
  append(samples: Float32Array): void {
    const needed = this.kept + samples.length;
    if (needed > this.data.length) {
      const grown = new Float32Array(Math.max(needed, this.data.length * 2));
      grown.set(this.data.subarray(0, this.kept));
      this.data = grown;
    }
    this.data.set(samples, this.kept);
    this.kept += samples.length;
  }

  /** Forgets the samples before stream position `position` (at most every sample kept). */
  dropBefore(position: number): void {
    const drop = Math.min(position - this.first, this.kept);
    if (drop <= 0) return;
    this.data.copyWithin(0, drop, this.kept);
    this.kept -= drop;
    this.first += drop;
  }

  /** `count` samples from stream position `position`: a view, valid until the next append or drop. */
  view(position: number, count: number): Float32Array {
    const from = position - this.first;
    return this.data.subarray(from, from + Math.max(0, count));
  }
}
