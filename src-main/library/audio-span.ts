// Where a music file's audio is: the bytes between its tags. Tag editors (eno included) rewrite
// ID3 tags, FLAC metadata blocks, Vorbis comment pages and MP4 metadata atoms but leave the audio
// as it is, so a hash over this span survives every tag edit. Found from the bytes themselves
// (magic numbers, chunk and box sizes), with a handful of small reads per file.
import type { FileHandle } from 'node:fs/promises';

/** The byte range [start, end) holding the audio; `ogg`: its pages carry sequence numbers and CRCs. */
export interface AudioSpan {
  readonly start: number;
  readonly end: number;
  readonly ogg: boolean;
}

/** Pages walked at most to find the end of Ogg headers (a 16 MB cover in a comment is ~260). */
const MAX_OGG_HEADER_PAGES = 4096;
/** Chunks or boxes walked at most in RIFF, AIFF and MP4 files. */
const MAX_CHUNKS = 4096;

async function readAt(handle: FileHandle, position: number, length: number): Promise<Buffer> {
  const buffer = Buffer.alloc(length);
  let filled = 0;
  while (filled < length) {
    const { bytesRead } = await handle.read(buffer, filled, length - filled, position + filled);
    if (bytesRead === 0) break;
    filled += bytesRead;
  }
  return buffer.subarray(0, filled);
}

const syncsafe = (b: Buffer, at: number): number =>
  ((b[at]! & 0x7f) << 21) | ((b[at + 1]! & 0x7f) << 14) | ((b[at + 2]! & 0x7f) << 7) | (b[at + 3]! & 0x7f);

/** Skips ID3v2 tags at `at` (there may be several); returns where the next thing starts. */
async function skipId3v2(handle: FileHandle, at: number, size: number): Promise<number> {
  for (let i = 0; i < 16 && at + 10 <= size; i++) {
    const h = await readAt(handle, at, 10);
    if (h.length < 10 || h.toString('latin1', 0, 3) !== 'ID3') break;
    const footer = (h[5]! & 0x10) !== 0 ? 10 : 0;
    at += 10 + syncsafe(h, 6) + footer;
  }
  return Math.min(at, size);
}

/** Trailing ID3v1, Lyrics3v2 and APEv2 tags (MP3, AAC, WavPack, Monkey's Audio). */
async function trimTail(handle: FileHandle, start: number, end: number): Promise<number> {
  // One read sees an ID3v1 tag and the footer before it; most files have neither and stop here.
  for (let i = 0; i < 4 && end - start >= 32; i++) {
    const length = Math.min(160, end - start);
    const tail = await readAt(handle, end - length, length);
    if (length >= 128 && tail.toString('latin1', length - 128, length - 125) === 'TAG') {
      end -= 128;
      continue;
    }
    const footer = tail.subarray(length - 32);
    if (footer.toString('latin1', 0, 8) === 'APETAGEX') {
      const tagSize = footer.readUInt32LE(12);
      const hasHeader = (footer.readUInt32LE(20) & 0x80000000) !== 0;
      const total = tagSize + (hasHeader ? 32 : 0);
      if (total > end - start) break;
      end -= total;
      continue;
    }
    if (footer.toString('latin1', 23, 32) === 'LYRICS200') {
      const lyrics = Number(footer.toString('latin1', 17, 23));
      if (!Number.isFinite(lyrics) || lyrics + 15 > end - start) break;
      end -= lyrics + 15;
      continue;
    }
    break;
  }
  return end;
}

async function flacSpan(handle: FileHandle, at: number, size: number): Promise<AudioSpan | null> {
  let pos = at + 4;
  for (let i = 0; i < MAX_CHUNKS && pos + 4 <= size; i++) {
    const h = await readAt(handle, pos, 4);
    pos += 4 + ((h[1]! << 16) | (h[2]! << 8) | h[3]!);
    if ((h[0]! & 0x80) !== 0) return { start: Math.min(pos, size), end: size, ogg: false };
  }
  return null;
}

/**
 * Audio starts at the first page past the headers. Header pages have granule position 0, or -1
 * when no packet ends on them (a comment with a cover spans several pages).
 */
async function oggSpan(handle: FileHandle, at: number, size: number): Promise<AudioSpan | null> {
  let pos = at;
  for (let i = 0; i < MAX_OGG_HEADER_PAGES && pos + 27 <= size; i++) {
    const h = await readAt(handle, pos, 27 + 255);
    if (h.toString('latin1', 0, 4) !== 'OggS' || h.length < 27) return null;
    const granule = h.readBigInt64LE(6);
    if (granule !== 0n && granule !== -1n) return { start: pos, end: size, ogg: true };
    const segments = h[26]!;
    let body = 0;
    for (let s = 0; s < segments; s++) body += h[27 + s] ?? 0;
    pos += 27 + segments + body;
  }
  return null;
}

async function riffSpan(handle: FileHandle, size: number, bigEndian: boolean, audioId: string): Promise<AudioSpan | null> {
  let pos = 12;
  for (let i = 0; i < MAX_CHUNKS && pos + 8 <= size; i++) {
    const h = await readAt(handle, pos, 8);
    const length = bigEndian ? h.readUInt32BE(4) : h.readUInt32LE(4);
    if (h.toString('latin1', 0, 4) === audioId) return { start: pos + 8, end: Math.min(pos + 8 + length, size), ogg: false };
    pos += 8 + length + (length & 1);
  }
  return null;
}

async function mp4Span(handle: FileHandle, size: number): Promise<AudioSpan | null> {
  let pos = 0;
  let best: AudioSpan | null = null;
  for (let i = 0; i < MAX_CHUNKS && pos + 8 <= size; i++) {
    const h = await readAt(handle, pos, 16);
    let length = h.readUInt32BE(0);
    let header = 8;
    if (length === 1 && h.length >= 16) {
      length = Number(h.readBigUInt64BE(8));
      header = 16;
    } else if (length === 0) {
      length = size - pos;
    }
    if (length < header) return best;
    if (h.toString('latin1', 4, 8) === 'mdat') {
      const span = { start: pos + header, end: Math.min(pos + length, size), ogg: false };
      if (!best || span.end - span.start > best.end - best.start) best = span;
    }
    pos += length;
  }
  return best;
}

/**
 * The audio span of a file. Unknown layouts (and anything that does not parse) fall back to the
 * whole file, so every file still gets a stable identity.
 */
export async function findAudioSpan(handle: FileHandle, size: number): Promise<AudioSpan> {
  const whole: AudioSpan = { start: 0, end: size, ogg: false };
  if (size < 12) return whole;
  const head = await readAt(handle, 0, 12);
  const magic = head.toString('latin1', 0, 4);
  if (magic === 'RIFF' && head.toString('latin1', 8, 12) === 'WAVE') return (await riffSpan(handle, size, false, 'data')) ?? whole;
  if (magic === 'FORM' && /^AIF[FC]$/.test(head.toString('latin1', 8, 12))) return (await riffSpan(handle, size, true, 'SSND')) ?? whole;
  if (head.toString('latin1', 4, 8) === 'ftyp') return (await mp4Span(handle, size)) ?? whole;
  const start = magic.startsWith('ID3') ? await skipId3v2(handle, 0, size) : 0;
  const next = start === 0 ? head.subarray(0, 4) : await readAt(handle, start, 4);
  const kind = next.toString('latin1', 0, 4);
  if (kind === 'fLaC') return (await flacSpan(handle, start, size)) ?? whole;
  if (kind === 'OggS') return (await oggSpan(handle, start, size)) ?? whole;
  const end = await trimTail(handle, start, size);
  return end > start ? { start, end, ogg: false } : whole;
}

/**
 * Blanks what an Ogg page header says beyond the audio: the stream's serial number (random per
 * encode or remux), the page sequence number and the CRC (both change when pages before it are
 * added or removed, as a longer comment does).
 */
export function blankOggPageCounters(bytes: Buffer): void {
  for (let at = bytes.indexOf('OggS', 0, 'latin1'); at !== -1; at = bytes.indexOf('OggS', at + 4, 'latin1')) {
    if (bytes[at + 4] !== 0) continue;
    bytes.fill(0, Math.min(at + 14, bytes.length), Math.min(at + 26, bytes.length));
  }
}
