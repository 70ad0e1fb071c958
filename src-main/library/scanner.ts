// Scans paths into the store: walks them (scan.ts), skips files whose size and mtime are unchanged,
// hashes the rest with a few async reads in flight (never blocking the event loop), and writes in
// batched transactions so a 100,000-file scan does not fsync 100,000 times.
import { promises as fs } from 'node:fs';
import { sep } from 'node:path';
import { fsReason } from '../fs-reason';
import { CONTENT_HASH_VERSION, sampledContentHash } from './content-hash';
import { expandPaths } from './scan';
import type { BatchResult, EnqueueMode, ScanItem, TrackWriter } from './track-writes';

/** Files hashed at once: enough to keep a disk busy, few enough to stay polite. */
const HASHES_IN_FLIGHT = 8;
/** A batch is written when it has this many items or is this old. */
const BATCH_ITEMS = 200;
const BATCH_MS = 250;

/** Where scan results go and how they are queued. */
export interface ScanOptions {
  readonly writer: TrackWriter;
  readonly mode: EnqueueMode;
  /** The library folder a found file belongs to (null for files outside every folder). */
  readonly folderOf: (path: string) => number | null;
  readonly signal?: AbortSignal;
  /** Called after each batch is committed. */
  readonly onBatch?: (result: BatchResult) => void;
}

/** What a scan found. */
export interface ScanReport {
  /** Audio files found (readable or not). */
  files: number;
  created: number;
  queued: number;
  /** Problems, in words for the user: unreadable files and folders, missing paths. */
  readonly errors: Array<{ path: string; reason: string }>;
  /** Folders that could not be listed: what the store has below them is unknown, not gone. */
  readonly unreadableFolders: string[];
  /** Every file path the scan saw. */
  readonly seen: Set<string>;
  aborted: boolean;
}

async function examine(path: string, writer: TrackWriter, folderId: number | null): Promise<ScanItem> {
  try {
    const known = writer.stateOf(path);
    // A track identified by an older hash version is hashed again, even when its file is unchanged.
    if (known?.hashed && known.hashVersion === CONTENT_HASH_VERSION) {
      const st = await fs.stat(path);
      if (st.size === known.sizeBytes && st.mtimeMs === known.mtimeMs) return { kind: 'unchanged', path, trackId: known.trackId };
    }
    const h = await sampledContentHash(path);
    return { kind: 'file', path, folderId, sizeBytes: h.sizeBytes, mtimeMs: h.mtimeMs, hash: h.hash };
  } catch (error) {
    return { kind: 'unreadable', path, folderId, reason: fsReason(error) };
  }
}

/** Scans files and folders into the store; resolves when every batch is committed. */
export async function scanPaths(paths: readonly string[], options: ScanOptions): Promise<ScanReport> {
  const report: ScanReport = { files: 0, created: 0, queued: 0, errors: [], unreadableFolders: [], seen: new Set(), aborted: false };
  let pending: ScanItem[] = [];
  let lastFlush = Date.now();
  const flush = (): void => {
    lastFlush = Date.now();
    if (pending.length === 0) return;
    const batch = pending;
    pending = [];
    const result = options.writer.applyBatch(batch, options.mode);
    report.created += result.created;
    report.queued += result.queued;
    options.onBatch?.(result);
  };
  // Hashes finish in any order; items are written (and so queued) in the walk's order, by path,
  // so an album is tagged in track order whatever the file system's listing order or disk timing.
  const done = new Map<number, ScanItem>();
  let nextToWrite = 0;
  let nextIndex = 0;
  const settle = (index: number, item: ScanItem): void => {
    done.set(index, item);
    for (let ready = done.get(nextToWrite); ready; ready = done.get(nextToWrite)) {
      done.delete(nextToWrite++);
      if (ready.kind === 'unreadable') report.errors.push({ path: ready.path, reason: ready.reason });
      pending.push(ready);
    }
    if (pending.length >= BATCH_ITEMS || Date.now() - lastFlush >= BATCH_MS) flush();
  };
  const inFlight = new Set<Promise<void>>();
  for await (const entry of expandPaths(paths)) {
    if (options.signal?.aborted) {
      report.aborted = true;
      break;
    }
    if (entry.kind === 'error') {
      if (entry.target === 'file') {
        report.files++;
        report.seen.add(entry.path);
        settle(nextIndex++, { kind: 'unreadable', path: entry.path, folderId: options.folderOf(entry.path), reason: entry.reason });
      } else {
        report.errors.push({ path: entry.path, reason: entry.reason });
        report.unreadableFolders.push(entry.path);
      }
      continue;
    }
    report.files++;
    report.seen.add(entry.path);
    const index = nextIndex++;
    const job = examine(entry.path, options.writer, options.folderOf(entry.path)).then((item) => settle(index, item));
    inFlight.add(job);
    void job.finally(() => inFlight.delete(job));
    if (inFlight.size >= HASHES_IN_FLIGHT) await Promise.race(inFlight);
  }
  await Promise.all(inFlight);
  flush();
  return report;
}

/** True when `path` is `folder` or below it. */
export function isAtOrUnder(path: string, folder: string): boolean {
  return path === folder || path.startsWith(folder.endsWith(sep) ? folder : `${folder}${sep}`);
}
