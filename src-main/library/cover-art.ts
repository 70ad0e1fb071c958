// Cover pictures embedded in music files (ID3 APIC, FLAC/Vorbis pictures, MP4 covr), read with
// music-metadata when the window asks for one, and kept for a while so scrolling back is free.
import { promises as fs } from 'node:fs';
import { parseFile, selectCover } from 'music-metadata';

/** A picture and its MIME type. */
export interface CoverArt {
  readonly mime: string;
  readonly data: Uint8Array;
}

/** Pictures larger than this are not served (a damaged tag, or a poster-sized scan). */
const MAX_COVER_BYTES = 8 * 1024 * 1024;
const IMAGE_MIME = /^image\/(?:jpeg|png|gif|webp|bmp)$/;

/** The front cover (or first picture) embedded in a file; null when it has none or cannot be read. */
export async function readCoverArt(path: string): Promise<CoverArt | null> {
  try {
    const meta = await parseFile(path, { duration: false, skipCovers: false, skipPostHeaders: true });
    const picture = selectCover(meta.common.picture);
    if (!picture || picture.data.length === 0 || picture.data.length > MAX_COVER_BYTES) return null;
    const mime = picture.format.toLowerCase() === 'image/jpg' ? 'image/jpeg' : picture.format.toLowerCase();
    return IMAGE_MIME.test(mime) ? { mime, data: picture.data } : null;
  } catch {
    return null;
  }
}

/** Recently read covers by file, size and modification time, at most `limit` of them. */
export class CoverCache {
  private readonly entries = new Map<string, CoverArt | null>();

  constructor(private readonly limit = 64) {}

  /** The cover of a file, from the cache when the file has not changed. */
  async read(path: string): Promise<CoverArt | null> {
    let key: string;
    try {
      const st = await fs.stat(path);
      key = `${path}\n${st.size}\n${st.mtimeMs}`;
    } catch {
      return null;
    }
    if (this.entries.has(key)) {
      const hit = this.entries.get(key)!;
      // Most recently used last.
      this.entries.delete(key);
      this.entries.set(key, hit);
      return hit;
    }
    const cover = await readCoverArt(path);
    this.entries.set(key, cover);
    if (this.entries.size > this.limit) this.entries.delete(this.entries.keys().next().value!);
    return cover;
  }
}
