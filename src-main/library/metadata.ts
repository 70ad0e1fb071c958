// Reads title, artist, album, duration and the genre and mood values from the files' own tags
// with music-metadata, in the background: one file at a time, after the scan has written its rows,
// so neither a scan nor the UI ever waits for it. Tagging later replaces the duration with the
// decoded one. The genre and mood values are shown beside eno's tags and can become labels.
import { parseFile } from 'music-metadata';
import type { Db } from './store';
import type { TrackSummaries } from './summary';

/** Tracks read per store query. */
const BATCH = 32;

/** What a file's own tags say. */
export interface TrackMetadata {
  readonly title: string | null;
  readonly artist: string | null;
  readonly album: string | null;
  readonly durationSec: number | null;
  /** The file's genre and mood values, in the file's order. */
  readonly genre: readonly string[];
  readonly mood: readonly string[];
}

/** Native tag ids that hold moods (music-metadata maps only the first to common.mood). */
const MOOD_IDS = new Set(['TMOO', 'TXXX:MOOD', 'MOOD', '----:com.apple.iTunes:MOOD']);

function uniqueValues(values: readonly unknown[]): string[] {
  const out: string[] = [];
  for (const v of values) {
    const t = typeof v === 'string' ? v.replace(/\0+$/, '').trim() : '';
    if (t && !out.includes(t)) out.push(t);
  }
  return out;
}

const text = (v: string | undefined): string | null => (v && v.trim() ? v.trim() : null);

/** The metadata of one file; throws when the file cannot be parsed. */
export async function readMetadata(path: string): Promise<TrackMetadata> {
  const m = await parseFile(path, { duration: false, skipCovers: true });
  const duration = m.format.duration;
  const moods = Object.values(m.native).flatMap((tags) => tags.filter((t) => MOOD_IDS.has(t.id.toUpperCase()) || MOOD_IDS.has(t.id)).map((t) => t.value));
  return {
    title: text(m.common.title),
    artist: text(m.common.artist) ?? text(m.common.albumartist),
    album: text(m.common.album),
    durationSec: duration !== undefined && Number.isFinite(duration) && duration > 0 ? duration : null,
    genre: uniqueValues(m.common.genre ?? []),
    mood: uniqueValues(moods),
  };
}

/** The background reader: wake it after scans; it stops when nothing is left to read. */
export class MetadataReader {
  private running: Promise<void> | null = null;
  private again = false;
  private closed = false;

  constructor(
    private readonly db: Db,
    private readonly summaries: TrackSummaries,
    private readonly onChanged: (trackIds: number[]) => void,
  ) {}

  /** Makes sure the reader runs (again) soon. */
  wake(): void {
    if (this.closed) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.loop()
      .catch(() => {
        // The store refused a write (closing, disk full): leave the rest for the next wake-up.
      })
      .finally(() => {
        this.running = null;
        if (this.again) {
          this.again = false;
          this.wake();
        }
      });
  }

  /** Resolves once the reader has nothing left to do (for tests and orderly shutdown). */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  /** Stops after the file being read. */
  async close(): Promise<void> {
    this.closed = true;
    await this.running;
  }

  private async loop(): Promise<void> {
    let afterId = 0;
    while (!this.closed) {
      const batch = this.db
        .prepare(
          `SELECT t.id, (SELECT path FROM files f WHERE f.track_id = t.id ORDER BY f.id LIMIT 1) AS path
           FROM tracks t WHERE t.meta_state = 0 AND t.id > ? AND t.file_count > 0 ORDER BY t.id LIMIT ?`,
        )
        .all(afterId, BATCH) as Array<{ id: number; path: string }>;
      if (batch.length === 0) return;
      const read: Array<{ id: number; meta: TrackMetadata | null }> = [];
      for (const { id, path } of batch) {
        if (this.closed) break;
        afterId = id;
        try {
          read.push({ id, meta: await readMetadata(path) });
        } catch {
          // No readable tags: the file name stays the title; tagging reports real decoding problems.
          read.push({ id, meta: null });
        }
      }
      // One transaction per batch: a commit is an fsync, and metadata is not worth one per file.
      this.db.transaction(() => read.forEach(({ id, meta }) => this.save(id, meta))).immediate();
      this.onChanged(read.map((r) => r.id));
    }
  }

  private save(id: number, meta: TrackMetadata | null): void {
    if (!meta) {
      this.db.prepare('UPDATE tracks SET meta_state = 2 WHERE id = ?').run(id);
      return;
    }
    this.db
      .prepare(
        `UPDATE tracks SET title = ?, artist = ?, album = ?, duration_sec = coalesce(duration_sec, ?), meta_state = 1
         WHERE id = ?`,
      )
      .run(meta.title, meta.artist, meta.album, meta.durationSec, id);
    saveFileTagValues(this.db, id, meta);
    this.summaries.refreshSearch(id);
  }
}

/** Records the genre and mood values a track's file carries (replacing what was read before). */
export function saveFileTagValues(db: Db, trackId: number, values: Pick<TrackMetadata, 'genre' | 'mood'>): void {
  db.prepare('DELETE FROM file_tag_values WHERE track_id = ?').run(trackId);
  const insert = db.prepare('INSERT INTO file_tag_values (track_id, field, position, value) VALUES (?, ?, ?, ?)');
  values.genre.forEach((v, i) => insert.run(trackId, 'genre', i, v));
  values.mood.forEach((v, i) => insert.run(trackId, 'mood', i, v));
}
