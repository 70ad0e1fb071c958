import { describe, expect, it } from 'vitest';
import { blobFloat32, blobPeaks, float32Blob, peaksBlob } from './blobs';

describe('float32 blobs', () => {
  it('round-trip, including views into a larger buffer', () => {
    const big = new Float32Array([9, 1.5, -2.25, 3, 9]);
    const view = big.subarray(1, 4);
    const blob = float32Blob(view);
    expect(blob.byteLength).toBe(12);
    expect(Array.from(blobFloat32(blob))).toEqual([1.5, -2.25, 3]);
    expect(Array.from(blobFloat32(float32Blob([0.5, 1])))).toEqual([0.5, 1]);
    // An unaligned slice of a larger buffer, as a database driver may hand back.
    const unaligned = Buffer.concat([Buffer.from([0]), blob]).subarray(1);
    expect(Array.from(blobFloat32(unaligned))).toEqual([1.5, -2.25, 3]);
  });
});

describe('peak blobs', () => {
  it('keep short peak lists as they are, quantised to int8', () => {
    const blob = peaksBlob([-0.5, 0.5, -1, 1, 0, 0.25]);
    expect(blob.byteLength).toBe(6);
    const back = blobPeaks(blob);
    [-0.5, 0.5, -1, 1, 0, 0.25].forEach((v, i) => expect(Math.abs(back[i]! - v)).toBeLessThanOrEqual(0.5 / 127 + 1e-4));
    expect(blobPeaks(null)).toEqual([]);
  });

  it('reduce long lists to at most 1024 pairs, keeping the extremes of each span', () => {
    const pairs = 10_000;
    const peaks = new Float32Array(pairs * 2);
    for (let i = 0; i < pairs; i++) {
      peaks[2 * i] = -0.1;
      peaks[2 * i + 1] = 0.1;
    }
    peaks[2 * 5000] = -0.9;
    peaks[2 * 5000 + 1] = 0.8;
    const out = blobPeaks(peaksBlob(peaks));
    expect(out).toHaveLength(2048);
    expect(Math.min(...out)).toBeCloseTo(-0.9, 1);
    expect(Math.max(...out)).toBeCloseTo(0.8, 1);
    expect(out.filter((v) => v < -0.5)).toHaveLength(1);
  });
});
