// Everything else a file's tags say, read by music-metadata (a reader independent of the writer):
// compared before and after a write, so a write that would change any other field, the cover art
// or the ReplayGain values is refused.
import { createHash } from 'node:crypto';
import { parseFile } from 'music-metadata';
import type { FieldsInFile } from './tag-io';

/** Native tag ids of the fields eno writes, in every format; they are left out of the comparison. */
const WRITTEN_IDS = new Set(['TCON', 'TMOO', 'TXXX:MOOD', 'GENRE', 'MOOD', '©gen', 'gnre', '----:com.apple.iTunes:MOOD', 'TCO', 'IGNR']);

function stable(value: unknown): string {
  if (value instanceof Uint8Array) return `bytes:${createHash('sha1').update(value).digest('hex')}`;
  if (Array.isArray(value)) return `[${value.map(stable).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${k}:${stable((value as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value) ?? 'undefined';
}

/** Every native tag except the written fields, per tag type, as comparable strings. */
export async function otherTags(path: string): Promise<Map<string, string[]>> {
  const m = await parseFile(path, { duration: false, skipCovers: false, skipPostHeaders: false });
  const out = new Map<string, string[]>();
  for (const [type, tags] of Object.entries(m.native)) {
    for (const t of tags) {
      if (WRITTEN_IDS.has(t.id) || WRITTEN_IDS.has(t.id.toUpperCase())) continue;
      const key = `${type}/${t.id}`;
      out.set(key, [...(out.get(key) ?? []), stable(t.value)].sort());
    }
  }
  return out;
}

/** Adds the genre of an MP3's ID3v1 tag, which readers show when ID3v2 has none. */
export async function withId3v1Genre(path: string, fields: FieldsInFile): Promise<FieldsInFile> {
  if (fields.values.genre.length || !/\.mp3$/i.test(path)) return fields;
  const m = await parseFile(path, { duration: false, skipCovers: true });
  const genre = m.native.ID3v1?.find((t) => t.id === 'genre')?.value;
  return typeof genre === 'string' && genre.trim() ? { ...fields, id3v1Genre: genre.trim() } : fields;
}

/** The keys whose values differ between two snapshots (empty when they agree). */
export function differingTags(before: Map<string, string[]>, after: Map<string, string[]>): string[] {
  const keys = new Set([...before.keys(), ...after.keys()]);
  return [...keys].filter((k) => stable(before.get(k) ?? []) !== stable(after.get(k) ?? [])).sort();
}
