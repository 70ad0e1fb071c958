// A track's identity: a fast sampled hash of the file's audio, so a renamed or moved file is the
// same track, two copies of the same audio are one track, and editing the tags (in eno or in any
// other tagger) keeps the track it was.
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { blankOggPageCounters, findAudioSpan } from './audio-span';

/** Bytes read at each of the three sample points. */
export const HASH_SAMPLE_BYTES = 64 * 1024;

/**
 * The version of the hash. 1 sampled the whole file (tags included); 2 samples the audio only.
 * The store keeps each track's version and re-hashes older ones at their next scan.
 */
export const CONTENT_HASH_VERSION = 2;

/** Bytes read before an Ogg sample so a page header cut by the sample's start is recognised. */
const OGG_LEAD = 26;

/**
 * SHA-256 over the length of the audio span (8 bytes, little-endian) and three 64 KiB samples of
 * it: the head, the middle and the tail (the whole span when it is smaller than the three). The
 * span is the file less its tags (audio-span.ts). Reading 192 KiB instead of the whole file keeps
 * scans of large libraries fast; the length and the tail make accidental collisions between
 * different recordings practically impossible. Edits that keep the length and touch none of the
 * samples go unnoticed by the hash, but change the mtime, which incremental rescans check first.
 */
export async function sampledContentHash(path: string): Promise<{ hash: string; sizeBytes: number; mtimeMs: number }> {
  const handle = await fs.open(path, 'r');
  try {
    const stat = await handle.stat();
    if (!stat.isFile()) throw Object.assign(new Error('not a regular file'), { code: 'EISDIR' });
    const span = await findAudioSpan(handle, stat.size);
    const size = span.end - span.start;
    const hash = createHash('sha256');
    const sizeBytes = Buffer.alloc(8);
    sizeBytes.writeBigUInt64LE(BigInt(size));
    hash.update(sizeBytes);
    const small = size <= 3 * HASH_SAMPLE_BYTES;
    const starts = small ? [0] : [0, Math.floor(size / 2) - HASH_SAMPLE_BYTES / 2, size - HASH_SAMPLE_BYTES];
    const length = small ? size : HASH_SAMPLE_BYTES;
    const lead = span.ogg ? OGG_LEAD : 0;
    const buffer = Buffer.alloc(length + lead);
    for (const start of starts) {
      const from = span.start + start - Math.min(lead, span.start + start);
      const skip = span.start + start - from;
      const want = length + skip;
      let filled = 0;
      while (filled < want) {
        const { bytesRead } = await handle.read(buffer, filled, want - filled, from + filled);
        if (bytesRead === 0) break;
        filled += bytesRead;
      }
      const sample = buffer.subarray(0, filled);
      if (span.ogg) blankOggPageCounters(sample);
      hash.update(sample.subarray(skip));
    }
    return { hash: hash.digest('hex'), sizeBytes: stat.size, mtimeMs: stat.mtimeMs };
  } finally {
    await handle.close();
  }
}
