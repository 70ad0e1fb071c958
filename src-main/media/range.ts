// HTTP Range handling for serving audio, shared by the browser-mode server and Electron's media
// protocol: seeking in an <audio> element is a byte-range request.
import { promises as fs } from 'node:fs';
import { extname } from 'node:path';

/** An inclusive byte range. */
export interface ByteRange {
  readonly start: number;
  readonly end: number;
}

/**
 * Parses a Range header for a file of `size` bytes: null when absent or not a single bytes range
 * (serve the whole file), 'unsatisfiable' when it lies outside the file (answer 416).
 */
export function parseRange(header: string | undefined | null, size: number): ByteRange | 'unsatisfiable' | null {
  if (!header) return null;
  const match = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!match) return null;
  const [, from, to] = match;
  if (from === '' && to === '') return null;
  let start: number;
  let end: number;
  if (from === '') {
    // A suffix range: the last N bytes.
    const length = Number(to);
    if (length === 0) return 'unsatisfiable';
    start = Math.max(0, size - length);
    end = size - 1;
  } else {
    start = Number(from);
    end = to === '' ? size - 1 : Math.min(Number(to), size - 1);
  }
  if (start >= size || start > end) return 'unsatisfiable';
  return { start, end };
}

const TYPES: Record<string, string> = {
  mp3: 'audio/mpeg',
  flac: 'audio/flac',
  ogg: 'audio/ogg',
  oga: 'audio/ogg',
  opus: 'audio/ogg',
  m4a: 'audio/mp4',
  m4b: 'audio/mp4',
  aac: 'audio/aac',
  wav: 'audio/wav',
  wave: 'audio/wav',
  aif: 'audio/aiff',
  aiff: 'audio/aiff',
  aifc: 'audio/aiff',
  webm: 'audio/webm',
  mka: 'audio/x-matroska',
  // Video containers scanned for their audio track: the player only wants the audio.
  mp4: 'audio/mp4',
  m4v: 'audio/mp4',
  mkv: 'audio/x-matroska',
  wma: 'audio/x-ms-wma',
  ape: 'audio/x-ape',
  wv: 'audio/x-wavpack',
};

/** The Content-Type of an audio file, by extension. */
export function audioContentType(path: string): string {
  return TYPES[extname(path).slice(1).toLowerCase()] ?? 'application/octet-stream';
}

/** How to answer a request for a media file: status, headers, and the byte range to send (if any). */
export interface MediaReply {
  readonly status: 200 | 206 | 404 | 416;
  readonly headers: Record<string, string>;
  readonly range: ByteRange | null;
  readonly message?: string;
}

/** Plans the answer to a (possibly ranged) request for `file`, shared by both transports. */
export async function planMediaReply(file: string | null, rangeHeader: string | undefined | null): Promise<MediaReply> {
  if (!file) return { status: 404, headers: {}, range: null, message: 'no such track in the library' };
  let size: number;
  try {
    size = (await fs.stat(file)).size;
  } catch {
    return { status: 404, headers: {}, range: null, message: 'the file of this track is missing' };
  }
  const headers: Record<string, string> = { 'Content-Type': audioContentType(file), 'Accept-Ranges': 'bytes' };
  const range = parseRange(rangeHeader, size);
  if (range === 'unsatisfiable') return { status: 416, headers: { ...headers, 'Content-Range': `bytes */${size}` }, range: null };
  if (size === 0) return { status: 200, headers: { ...headers, 'Content-Length': '0' }, range: null };
  const span = range ?? { start: 0, end: size - 1 };
  headers['Content-Length'] = String(span.end - span.start + 1);
  if (range) headers['Content-Range'] = `bytes ${span.start}-${span.end}/${size}`;
  return { status: range ? 206 : 200, headers, range: span };
}
