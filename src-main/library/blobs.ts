// Compact binary forms of what the engine returns: float32 arrays as BLOBs, and waveform peaks as
// at most 1024 int8 min/max pairs (2 kB per track instead of megabytes for long files).

/** The bytes of a float array as float32 (copied, so the blob never aliases a larger buffer). */
export function float32Blob(values: ArrayLike<number>): Buffer {
  const f32 = values instanceof Float32Array ? values : Float32Array.from(values);
  return Buffer.from(f32.buffer.slice(f32.byteOffset, f32.byteOffset + f32.byteLength));
}

/** A float32 BLOB read back; copied because SQLite's buffers need not be 4-byte aligned. */
export function blobFloat32(blob: Buffer | Uint8Array): Float32Array {
  const out = new Float32Array(blob.byteLength / 4);
  new Uint8Array(out.buffer).set(blob.subarray(0, out.byteLength));
  return out;
}

/** Peak pairs a track keeps: enough for a full-width waveform, small enough to send with a row. */
export const MAX_PEAK_PAIRS = 1024;

/**
 * Reduces interleaved [min, max, ...] peaks in [-1, 1] to at most `maxPairs` pairs (each the min of
 * the mins and max of the maxes of the pairs it covers) and quantises them to int8 (x 127).
 */
export function peaksBlob(peaks: ArrayLike<number>, maxPairs = MAX_PEAK_PAIRS): Buffer {
  const pairs = Math.floor(peaks.length / 2);
  const outPairs = Math.min(pairs, maxPairs);
  const out = Buffer.alloc(outPairs * 2);
  const q = (v: number): number => Math.max(-127, Math.min(127, Math.round(v * 127)));
  for (let i = 0; i < outPairs; i++) {
    const from = Math.floor((i * pairs) / outPairs);
    const to = Math.max(from + 1, Math.floor(((i + 1) * pairs) / outPairs));
    let min = Infinity;
    let max = -Infinity;
    for (let j = from; j < to; j++) {
      min = Math.min(min, peaks[2 * j]!);
      max = Math.max(max, peaks[2 * j + 1]!);
    }
    out.writeInt8(q(min), 2 * i);
    out.writeInt8(q(max), 2 * i + 1);
  }
  return out;
}

/** Peaks of a stored blob as numbers in [-1, 1]. */
export function blobPeaks(blob: Buffer | Uint8Array | null): number[] {
  if (!blob) return [];
  const view = new Int8Array(blob.buffer, blob.byteOffset, blob.byteLength);
  return Array.from(view, (v) => Math.round((v / 127) * 1e4) / 1e4);
}
