// The store's side of writing tags into files: the settings, the tracks and files a scope covers,
// the values read from files, and the batches and items that make every write undoable.
import type {
  FileFieldValues,
  FileTagSettings,
  FileWriteCode,
  TagWriteBatchRow,
  TagWriteScope,
} from '../../src-preload/contract-data';
import { sep } from 'node:path';
import { getSetting, nowIso, setSetting, type Db } from '../library/store';
import { DEFAULT_FILE_TAG_SETTINGS } from './plan';

const SETTINGS_KEY = 'file_tags';

/** One file of one track in a batch. */
export interface WriteItem {
  readonly id: number;
  readonly batchId: number;
  readonly trackId: number;
  readonly path: string;
  readonly state: 'pending' | 'written' | 'unchanged' | 'failed' | 'skipped' | 'undone';
  readonly undoes: number | null;
  readonly before: FileFieldValues | null;
  readonly after: FileFieldValues | null;
  readonly errorCode: FileWriteCode | null;
  readonly error: string | null;
  readonly doneAt: string | null;
}

interface ItemRow {
  id: number;
  batch_id: number;
  track_id: number;
  path: string;
  state: WriteItem['state'];
  undoes: number | null;
  before: string | null;
  after: string | null;
  error_code: FileWriteCode | null;
  error: string | null;
  done_at: string | null;
}

const toItem = (r: ItemRow): WriteItem => ({
  id: r.id,
  batchId: r.batch_id,
  trackId: r.track_id,
  path: r.path,
  state: r.state,
  undoes: r.undoes,
  before: r.before ? (JSON.parse(r.before) as FileFieldValues) : null,
  after: r.after ? (JSON.parse(r.after) as FileFieldValues) : null,
  errorCode: r.error_code,
  error: r.error,
  doneAt: r.done_at,
});

/** The settings, with defaults for anything not saved yet. */
export function loadFileTagSettings(db: Db): FileTagSettings {
  const raw = getSetting(db, SETTINGS_KEY);
  if (!raw) return DEFAULT_FILE_TAG_SETTINGS;
  const saved = JSON.parse(raw) as Partial<FileTagSettings>;
  return { ...DEFAULT_FILE_TAG_SETTINGS, ...saved, targets: { ...DEFAULT_FILE_TAG_SETTINGS.targets, ...saved.targets } };
}

/** Saves settings (durable when this returns). */
export function saveFileTagSettings(db: Db, settings: FileTagSettings): void {
  setSetting(db, SETTINGS_KEY, JSON.stringify(settings));
}

/** A scope of the contract, or (for the CLI) the files at or below a path. */
export type WriteScope = TagWriteScope | { readonly kind: 'path'; readonly path: string };

/** The (track, file) pairs a scope covers, in path order; only tracks with audio eno identified. */
export function scopeFiles(db: Db, scope: WriteScope): Array<{ trackId: number; path: string }> {
  const base = `SELECT f.track_id AS trackId, f.path FROM files f JOIN tracks t ON t.id = f.track_id WHERE t.hash IS NOT NULL`;
  if (scope.kind === 'path') {
    return db
      .prepare(`${base} AND (f.path = ? OR substr(f.path, 1, length(?) + 1) = ? || ?) ORDER BY f.path`)
      .all(scope.path, scope.path, scope.path, sep) as Array<{ trackId: number; path: string }>;
  }
  if (scope.kind === 'library') return db.prepare(`${base} ORDER BY f.path`).all() as Array<{ trackId: number; path: string }>;
  if (scope.kind === 'folder') return db.prepare(`${base} AND f.folder_id = ? ORDER BY f.path`).all(scope.folderId) as Array<{ trackId: number; path: string }>;
  const ids = JSON.stringify([...new Set(scope.trackIds)]);
  return db.prepare(`${base} AND f.track_id IN (SELECT value FROM json_each(?)) ORDER BY f.path`).all(ids) as Array<{ trackId: number; path: string }>;
}

/** The genre and mood values read from a track's file at the last scan or write. */
export function fileValuesOf(db: Db, trackId: number): FileFieldValues {
  const rows = db.prepare('SELECT field, value FROM file_tag_values WHERE track_id = ? ORDER BY field, position').all(trackId) as Array<{
    field: 'genre' | 'mood';
    value: string;
  }>;
  return { genre: rows.filter((r) => r.field === 'genre').map((r) => r.value), mood: rows.filter((r) => r.field === 'mood').map((r) => r.value) };
}

/** What the store recorded of a file at the last scan. */
export function scannedStateOf(db: Db, path: string): { sizeBytes: number | null; mtimeMs: number | null } | null {
  const row = db.prepare('SELECT size_bytes, mtime_ms FROM files WHERE path = ?').get(path) as { size_bytes: number | null; mtime_ms: number | null } | undefined;
  return row ? { sizeBytes: row.size_bytes, mtimeMs: row.mtime_ms } : null;
}

/** Creates a batch with its items; returns its id. */
export function createBatch(
  db: Db,
  kind: 'write' | 'undo',
  description: string,
  settings: FileTagSettings,
  items: ReadonlyArray<{ trackId: number; path: string; undoes?: number }>,
): number {
  return db.transaction(() => {
    const id = Number(
      db
        .prepare("INSERT INTO tag_write_batches (kind, description, settings, created_at, state) VALUES (?, ?, ?, ?, 'running')")
        .run(kind, description, JSON.stringify(settings), nowIso()).lastInsertRowid,
    );
    addItems(db, id, items);
    return id;
  }).immediate();
}

/** Adds items to a batch (write-as-you-review adds to the running one). */
export function addItems(db: Db, batchId: number, items: ReadonlyArray<{ trackId: number; path: string; undoes?: number }>): void {
  const insert = db.prepare("INSERT INTO tag_write_items (batch_id, track_id, path, state, undoes) VALUES (?, ?, ?, 'pending', ?)");
  for (const item of items) insert.run(batchId, item.trackId, item.path, item.undoes ?? null);
}

/** The next pending items of a batch, skipping those in flight. */
export function pendingItems(db: Db, batchId: number, excluding: ReadonlySet<number>, limit: number): WriteItem[] {
  const rows = db
    .prepare("SELECT * FROM tag_write_items WHERE batch_id = ? AND state = 'pending' ORDER BY id LIMIT ?")
    .all(batchId, limit + excluding.size) as ItemRow[];
  return rows.filter((r) => !excluding.has(r.id)).slice(0, limit).map(toItem);
}

/** One item by id. */
export function itemById(db: Db, id: number): WriteItem | null {
  const row = db.prepare('SELECT * FROM tag_write_items WHERE id = ?').get(id) as ItemRow | undefined;
  return row ? toItem(row) : null;
}

/** Records how an item ended. */
export function finishItem(
  db: Db,
  id: number,
  outcome:
    | { state: 'written' | 'unchanged'; before: FileFieldValues; after: FileFieldValues; kind: string; shownBefore?: FileFieldValues }
    | { state: 'failed'; code: FileWriteCode; message: string },
): void {
  if (outcome.state === 'failed') {
    db.prepare("UPDATE tag_write_items SET state = 'failed', error_code = ?, error = ?, done_at = ? WHERE id = ?").run(outcome.code, outcome.message, nowIso(), id);
  } else {
    db.prepare('UPDATE tag_write_items SET state = ?, before = ?, shown_before = ?, after = ?, tag_kind = ?, done_at = ? WHERE id = ?').run(
      outcome.state,
      JSON.stringify(outcome.before),
      JSON.stringify(outcome.shownBefore ?? outcome.before),
      JSON.stringify(outcome.after),
      outcome.kind,
      nowIso(),
      id,
    );
  }
}

/** Marks a write undone. */
export function markUndone(db: Db, id: number): void {
  db.prepare("UPDATE tag_write_items SET state = 'undone' WHERE id = ?").run(id);
}

/** Counts of a batch's items by state. */
export function batchCounts(db: Db, batchId: number): Record<WriteItem['state'], number> {
  const counts: Record<WriteItem['state'], number> = { pending: 0, written: 0, unchanged: 0, failed: 0, skipped: 0, undone: 0 };
  for (const r of db.prepare('SELECT state, count(*) AS n FROM tag_write_items WHERE batch_id = ? GROUP BY state').all(batchId) as Array<{ state: WriteItem['state']; n: number }>) {
    counts[r.state] = r.n;
  }
  return counts;
}

/** Every failure of a batch, in path order. */
export function allBatchErrors(db: Db, batchId: number): Array<{ path: string; code: FileWriteCode; message: string }> {
  return db
    .prepare("SELECT path, error_code AS code, error AS message FROM tag_write_items WHERE batch_id = ? AND state = 'failed' ORDER BY path")
    .all(batchId) as Array<{ path: string; code: FileWriteCode; message: string }>;
}

/** The newest failures of a batch. */
export function batchErrors(db: Db, batchId: number, limit: number): Array<{ path: string; code: FileWriteCode; message: string }> {
  return db
    .prepare("SELECT path, error_code AS code, error AS message FROM tag_write_items WHERE batch_id = ? AND state = 'failed' ORDER BY done_at DESC, id DESC LIMIT ?")
    .all(batchId, limit) as Array<{ path: string; code: FileWriteCode; message: string }>;
}

/** Sets a batch's state. */
export function setBatchState(db: Db, batchId: number, state: TagWriteBatchRow['state']): void {
  db.prepare('UPDATE tag_write_batches SET state = ? WHERE id = ?').run(state, batchId);
}

/** The batch that is running or paused, if any. */
export function openBatch(db: Db): { id: number; kind: 'write' | 'undo'; description: string; state: 'running' | 'paused'; settings: FileTagSettings } | null {
  const row = db
    .prepare("SELECT id, kind, description, state, settings FROM tag_write_batches WHERE state IN ('running', 'paused') ORDER BY id DESC LIMIT 1")
    .get() as { id: number; kind: 'write' | 'undo'; description: string; state: 'running' | 'paused'; settings: string } | undefined;
  return row ? { ...row, settings: JSON.parse(row.settings) as FileTagSettings } : null;
}

/** Batches, newest first. */
export function batchHistory(db: Db, limit: number): TagWriteBatchRow[] {
  return (
    db
      .prepare(
        `SELECT b.id, b.kind, b.description, b.created_at AS createdAt, b.state,
           (SELECT count(*) FROM tag_write_items i WHERE i.batch_id = b.id AND i.state IN ('written', 'undone')) AS written,
           (SELECT count(*) FROM tag_write_items i WHERE i.batch_id = b.id AND i.state = 'failed') AS failed,
           (SELECT count(*) FROM tag_write_items i WHERE i.batch_id = b.id AND i.state = 'written' AND b.kind = 'write') AS undoable
         FROM tag_write_batches b ORDER BY b.id DESC LIMIT ?`,
      )
      .all(limit) as TagWriteBatchRow[]
  );
}

/** The latest item of a file that changed it (written, not undone since). */
export function lastWrittenItem(db: Db, trackId: number, path: string): WriteItem | null {
  const row = db
    .prepare(
      `SELECT i.* FROM tag_write_items i JOIN tag_write_batches b ON b.id = i.batch_id
       WHERE i.track_id = ? AND i.path = ? AND i.state = 'written' AND b.kind = 'write' ORDER BY i.id DESC LIMIT 1`,
    )
    .get(trackId, path) as ItemRow | undefined;
  return row ? toItem(row) : null;
}

/**
 * The values eno's last write into a file added (those merging may replace), or empty; values
 * joined into one string (ID3v2.3) are split by `separator` first.
 */
export function lastContribution(db: Db, trackId: number, path: string, separator: string): FileFieldValues {
  const item = lastWrittenItem(db, trackId, path);
  if (!item?.after) return { genre: [], mood: [] };
  const raw = db.prepare('SELECT shown_before FROM tag_write_items WHERE id = ?').pluck().get(item.id) as string | null;
  const before = raw ? (JSON.parse(raw) as FileFieldValues) : item.before;
  const split = (values: readonly string[]) => values.flatMap((v) => (separator.trim() ? v.split(separator.trim()) : [v]).map((p) => p.trim()));
  const added = (after: readonly string[], had: readonly string[]) => {
    const known = new Set(split(had).map((v) => v.toLocaleLowerCase('en')));
    return split(after).filter((v) => v && !known.has(v.toLocaleLowerCase('en')));
  };
  return { genre: added(item.after.genre, before?.genre ?? []), mood: added(item.after.mood, before?.mood ?? []) };
}

/** The latest item of a track, whatever its state (what the track view shows). */
export function latestItemOfTrack(db: Db, trackId: number): (WriteItem & { kind: 'write' | 'undo' }) | null {
  const row = db
    .prepare('SELECT i.*, b.kind FROM tag_write_items i JOIN tag_write_batches b ON b.id = i.batch_id WHERE i.track_id = ? ORDER BY i.id DESC LIMIT 1')
    .get(trackId) as (ItemRow & { kind: 'write' | 'undo' }) | undefined;
  return row ? { ...toItem(row), kind: row.kind } : null;
}

/** Written items that can be undone: of these tracks, or of this batch. */
export function undoableItems(db: Db, target: { trackIds?: readonly number[]; batchId?: number }): WriteItem[] {
  const rows = target.batchId !== undefined
    ? (db.prepare("SELECT i.* FROM tag_write_items i JOIN tag_write_batches b ON b.id = i.batch_id WHERE i.batch_id = ? AND b.kind = 'write' AND i.state = 'written' ORDER BY i.id DESC").all(target.batchId) as ItemRow[])
    : (db
        .prepare(
          `SELECT i.* FROM tag_write_items i JOIN tag_write_batches b ON b.id = i.batch_id
           WHERE b.kind = 'write' AND i.state = 'written' AND i.track_id IN (SELECT value FROM json_each(?))
             AND i.id = (SELECT max(j.id) FROM tag_write_items j JOIN tag_write_batches c ON c.id = j.batch_id
                         WHERE j.track_id = i.track_id AND j.path = i.path AND c.kind = 'write' AND j.state IN ('written', 'undone'))
           ORDER BY i.id DESC`,
        )
        .all(JSON.stringify(target.trackIds ?? [])) as ItemRow[]);
  return rows.map(toItem);
}

/** Stores the values a file now carries (after a write or an undo). */
export function updateFileState(db: Db, trackId: number, path: string, values: FileFieldValues, sizeBytes: number, mtimeMs: number): void {
  db.transaction(() => {
    db.prepare('UPDATE files SET size_bytes = ?, mtime_ms = ? WHERE path = ?').run(sizeBytes, mtimeMs, path);
    db.prepare('DELETE FROM file_tag_values WHERE track_id = ?').run(trackId);
    const insert = db.prepare('INSERT INTO file_tag_values (track_id, field, position, value) VALUES (?, ?, ?, ?)');
    values.genre.forEach((v, i) => insert.run(trackId, 'genre', i, v));
    values.mood.forEach((v, i) => insert.run(trackId, 'mood', i, v));
  }).immediate();
}
