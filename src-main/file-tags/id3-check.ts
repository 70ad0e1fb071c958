// Walks the frames of a file's ID3v2 tag before anything is written. Tag libraries (TagLib#,
// music-metadata) stop quietly at a damaged frame and would then save the tag without the frames
// after it; a tag whose frames do not walk cleanly is reported as damaged and left alone.
import { promises as fs } from 'node:fs';
import { extname } from 'node:path';

const FRAME_ID = /^[A-Z0-9]{4}$/;
const FRAME_ID_V22 = /^[A-Z0-9]{3}$/;

const syncsafe = (b: Buffer, at: number): number =>
  ((b[at]! & 0x7f) << 21) | ((b[at + 1]! & 0x7f) << 14) | ((b[at + 2]! & 0x7f) << 7) | (b[at + 3]! & 0x7f);

/** True when every byte from `at` on is zero (padding). */
const isPadding = (b: Buffer, at: number): boolean => b.subarray(at).every((x) => x === 0);

/** Walks frames with one way of reading sizes; returns why it failed, or null. */
function walk(tag: Buffer, start: number, version: number, sizeOf: (b: Buffer, at: number) => number): string | null {
  const headerBytes = version === 2 ? 6 : 10;
  let at = start;
  while (at + headerBytes <= tag.length) {
    if (tag[at] === 0) return isPadding(tag, at) ? null : `junk after the padding at byte ${at}`;
    const id = tag.toString('latin1', at, at + (version === 2 ? 3 : 4));
    if (!(version === 2 ? FRAME_ID_V22 : FRAME_ID).test(id)) return `a frame with an invalid name at byte ${at}`;
    const size = sizeOf(tag, at);
    if (size === 0 || at + headerBytes + size > tag.length) return `frame ${id} runs past the end of the tag`;
    at += headerBytes + size;
  }
  return at <= tag.length ? null : 'the last frame is cut off';
}

/** Why an ID3v2 tag (its whole bytes, header included) is damaged; null when it walks cleanly. */
export function id3v2Damage(tag: Buffer): string | null {
  if (tag.length < 10 || tag.toString('latin1', 0, 3) !== 'ID3') return null;
  const version = tag[3]!;
  if (version < 2 || version > 4) return `unknown ID3v2 version 2.${version}`;
  const flags = tag[5]!;
  // An unsynchronised v2.2/v2.3 tag has to be decoded before it can be walked; TagLib# does that.
  if (version < 4 && (flags & 0x80) !== 0) return null;
  const size = syncsafe(tag, 6);
  if (10 + size > tag.length) return 'the tag is longer than the file';
  const body = tag.subarray(0, 10 + size);
  let start = 10;
  if ((flags & 0x40) !== 0) start += version === 4 ? syncsafe(body, 10) : body.readUInt32BE(10) + 4;
  if (version === 2) return walk(body, start, 2, (b, at) => (b[at + 3]! << 16) | (b[at + 4]! << 8) | b[at + 5]!);
  if (version === 3) return walk(body, start, 3, (b, at) => b.readUInt32BE(at + 4));
  // Some writers put plain sizes in v2.4 frames; either reading that walks cleanly is fine.
  const asSyncsafe = walk(body, start, 4, (b, at) => syncsafe(b, at + 4));
  return asSyncsafe && walk(body, start, 4, (b, at) => b.readUInt32BE(at + 4)) ? asSyncsafe : null;
}

async function readAt(handle: fs.FileHandle, position: number, length: number): Promise<Buffer> {
  const buffer = Buffer.alloc(length);
  const { bytesRead } = await handle.read(buffer, 0, length, position);
  return buffer.subarray(0, bytesRead);
}

/** Where the ID3 tag of a WAV or AIFF file is (its "id3 " chunk), if it has one. */
async function id3ChunkOffset(handle: fs.FileHandle, size: number, bigEndian: boolean): Promise<number | null> {
  let pos = 12;
  for (let i = 0; i < 4096 && pos + 8 <= size; i++) {
    const h = await readAt(handle, pos, 8);
    const length = bigEndian ? h.readUInt32BE(4) : h.readUInt32LE(4);
    if (h.toString('latin1', 0, 4).toLowerCase() === 'id3 ') return pos + 8;
    pos += 8 + length + (length & 1);
  }
  return null;
}

/** Why the file's ID3v2 tag is damaged; null when it has none or it walks cleanly. */
export async function checkId3Frames(path: string): Promise<string | null> {
  const ext = extname(path).slice(1).toLowerCase();
  const handle = await fs.open(path, 'r');
  try {
    const size = (await handle.stat()).size;
    let offset: number | null = 0;
    if (ext === 'wav' || ext === 'wave') offset = await id3ChunkOffset(handle, size, false);
    else if (ext === 'aif' || ext === 'aiff' || ext === 'aifc') offset = await id3ChunkOffset(handle, size, true);
    else if (ext !== 'mp3') return null;
    if (offset === null) return null;
    const header = await readAt(handle, offset, 10);
    if (header.length < 10 || header.toString('latin1', 0, 3) !== 'ID3') return null;
    return id3v2Damage(await readAt(handle, offset, Math.min(10 + syncsafe(header, 6) + 10, size - offset)));
  } finally {
    await handle.close();
  }
}
