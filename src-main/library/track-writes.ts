// What scanning writes: files found (with their content hash), files that cannot be read, files
// gone. A file maps to the track of its hash, so renames, moves and copies keep one track; a file
// that cannot be read gets a track of its own with the reason, so the table can show it.
import type { Statement } from 'better-sqlite3';
import { basename, extname, sep } from 'node:path';
import type { JobStore } from './job-store';
import { CONTENT_HASH_VERSION } from './content-hash';
import { carryLabels, hashVersionOf, rehashInPlace } from './rehash';
import { nowIso, type Db } from './store';
import type { TrackSummaries } from './summary';

/** One scanned path, ready to be written. */
export type ScanItem =
  | {
      readonly kind: 'file';
      readonly path: string;
      readonly folderId: number | null;
      readonly sizeBytes: number;
      readonly mtimeMs: number;
      readonly hash: string;
    }
  | { readonly kind: 'unreadable'; readonly path: string; readonly folderId: number | null; readonly reason: string }
  /** A file whose size and mtime match the store: not read again. */
  | { readonly kind: 'unchanged'; readonly path: string; readonly trackId: number };

/** How a batch queues what it finds. */
export interface EnqueueMode {
  readonly priority: number;
  /**
   * Folder scans queue only tracks never tagged (new audio); files dropped on the window also
   * queue known tracks that have no prediction from the active model, failed ones included.
   */
  readonly eager: boolean;
}

/** What a written batch changed. */
export interface BatchResult {
  /** Tracks created or whose rows changed. */
  readonly changed: number[];
  readonly created: number;
  readonly queued: number;
}

/** The stored state of a path, for incremental rescans. */
export interface FileState {
  readonly trackId: number;
  readonly sizeBytes: number | null;
  readonly mtimeMs: number | null;
  readonly hashed: boolean;
  /** The content-hash version the track was identified with (older ones are re-hashed). */
  readonly hashVersion: number;
}

interface FileRow {
  id: number;
  track_id: number;
  folder_id: number | null;
}

/** The name a track shows until its tags are read: the file name without its extension. */
export function displayName(path: string): string {
  const name = basename(path);
  return name.slice(0, name.length - extname(name).length) || name;
}

/** Writes scan results, with statements prepared once. */
export class TrackWriter {
  private readonly fileState: Statement<
    [string],
    { track_id: number; size_bytes: number | null; mtime_ms: number | null; hash: string | null; hash_version: number }
  >;
  private readonly fileByPath: Statement<[string], FileRow>;
  private readonly trackByHash: Statement<[string], { id: number }>;
  private readonly insertTrack: Statement<[string, number, string, string]>;
  private readonly insertErrorTrack: Statement<[string, string, string]>;
  private readonly insertFile: Statement<[string, number, number | null, number | null, number | null, string]>;
  private readonly moveFile: Statement<[number, number | null, number | null, number | null, number]>;
  private readonly tagState: Statement<[string | null, string | null, number], { hashed: number; status: string; predicted: number; queued: number }>;

  constructor(
    private readonly db: Db,
    private readonly summaries: TrackSummaries,
    private readonly jobs: JobStore,
    private readonly activeModel: () => string | null,
  ) {
    this.fileState = db.prepare(
      'SELECT f.track_id, f.size_bytes, f.mtime_ms, t.hash, t.hash_version FROM files f JOIN tracks t ON t.id = f.track_id WHERE f.path = ?',
    );
    this.fileByPath = db.prepare('SELECT id, track_id, folder_id FROM files WHERE path = ?');
    this.trackByHash = db.prepare('SELECT id FROM tracks WHERE hash = ?');
    this.insertTrack = db.prepare('INSERT INTO tracks (hash, size_bytes, name, added_at) VALUES (?, ?, ?, ?)');
    this.insertErrorTrack = db.prepare(
      "INSERT INTO tracks (name, status, error, meta_state, added_at) VALUES (?, 'error', ?, 2, ?)",
    );
    this.insertFile = db.prepare(
      'INSERT INTO files (path, track_id, folder_id, size_bytes, mtime_ms, added_at) VALUES (?, ?, ?, ?, ?, ?)',
    );
    this.moveFile = db.prepare(
      'UPDATE files SET track_id = ?, folder_id = coalesce(?, folder_id), size_bytes = ?, mtime_ms = ? WHERE id = ?',
    );
    this.tagState = db.prepare(
      `SELECT t.hash IS NOT NULL AS hashed, t.status,
              EXISTS (SELECT 1 FROM predictions p WHERE p.track_id = t.id AND (? IS NULL OR p.model_key = ?)) AS predicted,
              EXISTS (SELECT 1 FROM jobs j WHERE j.track_id = t.id) AS queued
       FROM tracks t WHERE t.id = ?`,
    );
  }

  /** What the store knows about a path. */
  stateOf(path: string): FileState | undefined {
    const row = this.fileState.get(path);
    return (
      row && { trackId: row.track_id, sizeBytes: row.size_bytes, mtimeMs: row.mtime_ms, hashed: row.hash !== null, hashVersion: row.hash_version }
    );
  }

  /** Writes a batch of scan results in one transaction and queues what needs tagging (mode null: nothing). */
  applyBatch(items: readonly ScanItem[], mode: EnqueueMode | null): BatchResult {
    return this.db.transaction((): BatchResult => {
      const changed = new Set<number>();
      const candidates = new Set<number>();
      let created = 0;
      for (const item of items) {
        if (item.kind === 'unchanged') {
          if (mode?.eager) candidates.add(item.trackId);
          continue;
        }
        const result = item.kind === 'file' ? this.recordFile(item) : this.recordUnreadable(item);
        if (result.created) created++;
        for (const id of result.changed) changed.add(id);
        if (item.kind === 'file') candidates.add(result.trackId);
      }
      const toQueue = mode ? [...candidates].filter((id) => this.wantsTagging(id, mode.eager)) : [];
      if (mode) this.jobs.enqueue(toQueue, mode.priority);
      for (const id of toQueue) changed.add(id);
      return { changed: [...changed], created, queued: toQueue.length };
    }).immediate();
  }

  /** True when the track should be queued. */
  private wantsTagging(trackId: number, eager: boolean): boolean {
    const model = this.activeModel();
    const s = this.tagState.get(model, model, trackId);
    if (!s || !s.hashed || s.predicted) return false;
    if (eager) return s.status !== 'tagging';
    return s.status === 'untagged' && !s.queued;
  }

  private recordFile(item: Extract<ScanItem, { kind: 'file' }>): { trackId: number; created: boolean; changed: number[] } {
    const now = nowIso();
    let trackId = this.trackByHash.get(item.hash)?.id ?? rehashInPlace(this.db, item);
    let created = false;
    if (trackId === undefined) {
      trackId = Number(this.insertTrack.run(item.hash, item.sizeBytes, displayName(item.path), now).lastInsertRowid);
      created = true;
    }
    const changed = [trackId];
    const existing = this.fileByPath.get(item.path);
    if (existing) {
      this.moveFile.run(trackId, item.folderId, item.sizeBytes, item.mtimeMs, existing.id);
      if (existing.track_id !== trackId) {
        if (hashVersionOf(this.db, existing.track_id) < CONTENT_HASH_VERSION) {
          carryLabels(this.db, existing.track_id, trackId);
          this.summaries.refresh(trackId);
        }
        changed.push(...this.afterFileLeft(existing.track_id));
      }
    } else {
      this.insertFile.run(item.path, trackId, item.folderId, item.sizeBytes, item.mtimeMs, now);
    }
    this.summaries.refreshSearch(trackId);
    return { trackId, created, changed };
  }

  private recordUnreadable(item: Extract<ScanItem, { kind: 'unreadable' }>): { trackId: number; created: boolean; changed: number[] } {
    const existing = this.fileByPath.get(item.path);
    if (existing) {
      const hashed = this.db.prepare('SELECT hash IS NOT NULL FROM tracks WHERE id = ?').pluck().get(existing.track_id);
      if (!hashed) {
        this.db.prepare('UPDATE tracks SET error = ? WHERE id = ?').run(item.reason, existing.track_id);
        return { trackId: existing.track_id, created: false, changed: [existing.track_id] };
      }
    }
    const now = nowIso();
    const trackId = Number(this.insertErrorTrack.run(displayName(item.path), item.reason, now).lastInsertRowid);
    const changed = [trackId];
    if (existing) {
      this.moveFile.run(trackId, item.folderId, null, null, existing.id);
      changed.push(...this.afterFileLeft(existing.track_id));
    } else {
      this.insertFile.run(item.path, trackId, item.folderId, null, null, now);
    }
    this.summaries.refreshSearch(trackId);
    return { trackId, created: true, changed };
  }

  /**
   * Tidies a track a file no longer points to: a track that only stood for an unreadable file goes;
   * a track left without files keeps its predictions and labels (the audio may come back under
   * another path) but leaves the queue.
   */
  private afterFileLeft(trackId: number): number[] {
    const t = this.db.prepare('SELECT hash, file_count FROM tracks WHERE id = ?').get(trackId) as
      | { hash: string | null; file_count: number }
      | undefined;
    if (!t) return [];
    if (t.hash === null && t.file_count === 0) {
      this.deleteTracks([trackId]);
      return [trackId];
    }
    if (t.file_count === 0) {
      this.db.prepare('DELETE FROM jobs WHERE track_id = ?').run(trackId);
      this.db
        .prepare(
          `UPDATE tracks SET status = CASE WHEN EXISTS (SELECT 1 FROM predictions p WHERE p.track_id = tracks.id)
             THEN 'tagged' ELSE 'untagged' END WHERE id = ? AND status IN ('queued', 'tagging')`,
        )
        .run(trackId);
    }
    this.summaries.refreshSearch(trackId);
    return [trackId];
  }

  /** Removes file rows (paths gone from disk); returns the tracks affected. */
  removeFiles(fileIds: readonly number[]): number[] {
    return this.db.transaction(() => {
      const affected = new Set<number>();
      for (const id of fileIds) {
        const row = this.db.prepare('DELETE FROM files WHERE id = ? RETURNING track_id').get(id) as { track_id: number } | undefined;
        if (row) affected.add(row.track_id);
      }
      for (const trackId of affected) this.afterFileLeft(trackId);
      return [...affected];
    }).immediate();
  }

  /** The files of a folder (or of no folder), to find those a scan did not see. */
  filesOf(folderId: number | null): Array<{ id: number; path: string }> {
    return (
      folderId === null
        ? this.db.prepare('SELECT id, path FROM files WHERE folder_id IS NULL')
        : this.db.prepare('SELECT id, path FROM files WHERE folder_id = ?')
    ).all(...(folderId === null ? [] : [folderId])) as Array<{ id: number; path: string }>;
  }

  /** The files at a path or below it. */
  filesAtOrUnder(path: string): Array<{ id: number; path: string }> {
    return this.db
      .prepare('SELECT id, path FROM files WHERE path = ? OR substr(path, 1, length(?) + 1) = ? || ?')
      .all(path, path, path, sep) as Array<{ id: number; path: string }>;
  }

  /**
   * Deletes tracks that have no file left and carry nothing a person did (no label, no review
   * mark); returns their ids. Tracks with corrections stay, out of the table, so the corrections
   * still reach the dataset and come back if the audio is added again.
   */
  collectOrphans(): number[] {
    return this.db.transaction(() => {
      const ids = this.db
        .prepare(
          `SELECT id FROM tracks WHERE file_count = 0 AND reviewed_at IS NULL
             AND NOT EXISTS (SELECT 1 FROM labels l WHERE l.track_id = tracks.id)`,
        )
        .pluck()
        .all() as number[];
      this.deleteTracks(ids);
      return ids;
    }).immediate();
  }

  private deleteTracks(ids: readonly number[]): void {
    for (const id of ids) {
      this.db.prepare('DELETE FROM tracks WHERE id = ?').run(id);
      this.db.prepare('DELETE FROM track_search WHERE rowid = ?').run(id);
    }
  }
}
