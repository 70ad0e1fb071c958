// Library folders: adding, removing, scanning them (one task at a time per folder, so a rescan
// never races another), rescanning what the watcher saw change, and dropped files and folders.
import { existsSync, promises as fs } from 'node:fs';
import { homedir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';
import type { AddFolderResult, AddPathsResult, FolderRow } from '../../src-preload/contract';
import { fsReason } from '../fs-reason';
import { PRIORITY } from './job-store';
import { isAudioFileName } from './scan';
import { isAtOrUnder, scanPaths, type ScanReport } from './scanner';
import { nowIso, type Db } from './store';
import type { BatchResult, EnqueueMode, TrackWriter } from './track-writes';
import { FolderWatcher } from './watcher';

/** What folder scans tell the library. */
export interface FolderScanHooks {
  /** Rows changed (batched by the caller). */
  readonly tracksChanged: (ids: readonly number[]) => void;
  /** Tracks or folders were added or removed. */
  readonly libraryChanged: () => void;
  readonly notice: (level: 'info' | 'error', message: string) => void;
  /** New work: tracks queued, rows whose metadata may be read. */
  readonly newWork: () => void;
}

/** Thrown for a request the library cannot do; `code` is the contract's error code. */
export class LibraryError extends Error {
  override name = 'LibraryError';
  constructor(
    readonly code: 'invalid-argument' | 'not-found' | 'unavailable',
    message: string,
  ) {
    super(message);
  }
}

/** A folder path typed by a person: absolute, or from their home folder with ~; anything else is refused. */
export function fullFolderPath(given: string): string {
  const path = given.trim();
  if (path === '~' || path.startsWith('~/')) return join(homedir(), path.slice(1));
  if (!isAbsolute(path)) {
    throw new LibraryError('invalid-argument', `"${path}" is not a full path: give the folder's full path on the machine running eno, like /home/me/Music or ~/Music`);
  }
  return resolve(path);
}

/** Files outside every folder (dropped on the window) are checked under this task key. */
const LOOSE_FILES = 0;
const FOLDER_SCAN: EnqueueMode = { priority: PRIORITY.folderScan, eager: false };

interface FolderTasks {
  readonly controller: AbortController;
  tail: Promise<void>;
  pending: number;
  fullQueued: boolean;
}

/** Folders, their scans and their watchers. */
export class FolderScans {
  private readonly tasks = new Map<number, FolderTasks>();
  /** Scans outside the per-folder tasks (dropped paths, rechecks), awaited by idle(). */
  private readonly loose = new Set<Promise<unknown>>();
  private readonly looseStop = new AbortController();
  private readonly watcher: FolderWatcher;
  private closed = false;

  constructor(
    private readonly db: Db,
    private readonly writer: TrackWriter,
    private readonly hooks: FolderScanHooks,
    private readonly watching: boolean,
  ) {
    this.watcher = new FolderWatcher({
      onChanged: (folderId, paths) => this.schedule(folderId, paths),
      onError: (_id, root, message) => hooks.notice('error', `${root} is no longer watched for changes (${message}); use Rescan to pick them up`),
    });
  }

  /** Watches every folder and rescans the library (what changed while the app was closed). */
  start(): void {
    if (this.watching) for (const f of this.folders()) this.watcher.watch(f.id, f.path);
    this.rescanAll();
  }

  /** The folders with their track counts. */
  list(): FolderRow[] {
    const counts = new Map(
      (this.db.prepare('SELECT folder_id, count(DISTINCT track_id) AS n FROM files WHERE folder_id IS NOT NULL GROUP BY folder_id').all() as Array<{
        folder_id: number;
        n: number;
      }>).map((r) => [r.folder_id, r.n]),
    );
    return this.folders().map((f) => ({ id: f.id, path: f.path, tracks: counts.get(f.id) ?? 0, scanning: (this.tasks.get(f.id)?.pending ?? 0) > 0 }));
  }

  /**
   * Adds a folder (a folder inside one already added is that one, rescanned; one around others
   * takes them in) and scans it. The path comes from a person typing it for the machine running
   * eno, so it must be a full path (or start with ~): the server's own working folder means
   * nothing to them.
   */
  async add(given: string): Promise<AddFolderResult> {
    const path = fullFolderPath(given);
    let stat;
    try {
      stat = await fs.stat(path);
    } catch (error) {
      throw new LibraryError('invalid-argument', `${path}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such folder' : fsReason(error)}`);
    }
    if (!stat.isDirectory()) throw new LibraryError('invalid-argument', `${path} is a file, not a folder; drop files to add them`);
    const folders = this.folders();
    const covering = folders.find((f) => isAtOrUnder(path, f.path));
    if (covering) {
      void this.schedule(covering.id, 'full');
      return { ...this.list().find((f) => f.id === covering.id)!, alreadyIn: covering.path === path ? 'same' : 'inside' };
    }
    const inside = folders.filter((f) => isAtOrUnder(f.path, path));
    for (const f of inside) {
      this.watcher.unwatch(f.id);
      await this.stopTasks(f.id);
    }
    const id = this.db.transaction(() => {
      const newId = Number(this.db.prepare('INSERT INTO folders (path, added_at) VALUES (?, ?)').run(path, nowIso()).lastInsertRowid);
      for (const f of inside) {
        this.db.prepare('UPDATE files SET folder_id = ? WHERE folder_id = ?').run(newId, f.id);
        this.db.prepare('DELETE FROM folders WHERE id = ?').run(f.id);
      }
      for (const file of this.writer.filesOf(null)) {
        if (isAtOrUnder(file.path, path)) this.db.prepare('UPDATE files SET folder_id = ? WHERE id = ?').run(newId, file.id);
      }
      return newId;
    }).immediate();
    if (this.watching) this.watcher.watch(id, path);
    void this.schedule(id, 'full');
    return this.list().find((f) => f.id === id)!;
  }

  /**
   * Removes a folder and its files from the library. Tracks a person corrected are kept out of
   * sight (their corrections still go up, and come back if the audio is added again) unless
   * `forgetCorrections`: then the corrections of the tracks that leave the library go too.
   */
  async remove(id: number, forgetCorrections = false): Promise<void> {
    if (!this.folders().some((f) => f.id === id)) throw new LibraryError('not-found', 'no such folder in the library');
    this.watcher.unwatch(id);
    await this.stopTasks(id);
    const files = this.writer.filesOf(id);
    const affected = this.writer.removeFiles(files.map((f) => f.id));
    this.db.prepare('DELETE FROM folders WHERE id = ?').run(id);
    if (forgetCorrections) this.forgetCorrectionsOfGone(affected);
    this.writer.collectOrphans();
    this.hooks.tracksChanged(affected);
    this.hooks.libraryChanged();
  }

  /** Clears labels and review marks of these tracks where no file is left (a track still in another folder keeps them). */
  private forgetCorrectionsOfGone(trackIds: readonly number[]): void {
    const gone = this.db.prepare('SELECT file_count = 0 FROM tracks WHERE id = ?').pluck();
    const clearLabels = this.db.prepare('DELETE FROM labels WHERE track_id = ?');
    const clearMark = this.db.prepare('UPDATE tracks SET reviewed_at = NULL, needs_review = 0 WHERE id = ?');
    this.db.transaction(() => {
      for (const id of trackIds) {
        if (gone.get(id) !== 1) continue;
        clearLabels.run(id);
        clearMark.run(id);
      }
    }).immediate();
  }

  /** Rescans one folder in the background (watching it again if it had lost its watch). */
  rescan(id: number): void {
    const folder = this.folders().find((f) => f.id === id);
    if (!folder) throw new LibraryError('not-found', 'no such folder in the library');
    if (this.watching && !this.watcher.isWatching(id) && existsSync(folder.path)) this.watcher.watch(id, folder.path);
    void this.schedule(id, 'full');
  }

  /** Rescans every folder and the loose files in the background, then drops unjudged orphans. */
  rescanAll(): void {
    // A folder that went away (an unplugged drive) lost its watch; it is watched again once back.
    if (this.watching) {
      for (const f of this.folders()) if (!this.watcher.isWatching(f.id) && existsSync(f.path)) this.watcher.watch(f.id, f.path);
    }
    const scans = this.folders().map((f) => this.schedule(f.id, 'full'));
    scans.push(this.schedule(LOOSE_FILES, 'full'));
    void Promise.all(scans).then(() => {
      if (this.closed) return;
      if (this.writer.collectOrphans().length) this.hooks.libraryChanged();
    });
  }

  /** Scans dropped files and folders now, ahead of folder scans in the queue. */
  async addPaths(paths: readonly string[]): Promise<AddPathsResult> {
    const report = await this.track(
      this.scan(paths.map((p) => resolve(p)), { priority: PRIORITY.dropped, eager: true }, undefined, this.looseStop.signal),
    );
    return { files: report.files, queued: report.queued, errors: report.errors };
  }

  /** Looks at these paths again (files that could not be read) in the background, queueing what now can be. */
  recheck(paths: readonly string[]): void {
    void this.track(this.scan(paths, { priority: PRIORITY.folderScan, eager: true }, undefined, this.looseStop.signal)).catch((error: unknown) =>
      this.hooks.notice('error', `scanning stopped: ${error instanceof Error ? error.message : String(error)}`),
    );
  }

  private track<T>(work: Promise<T>): Promise<T> {
    this.loose.add(work);
    void work.catch(() => undefined).finally(() => this.loose.delete(work));
    return work;
  }

  /** Resolves when no scan is running or waiting. */
  async idle(): Promise<void> {
    for (;;) {
      const tails = [...this.tasks.values()].filter((t) => t.pending > 0).map((t) => t.tail);
      const work = [...tails, ...this.loose];
      if (work.length === 0) return;
      await Promise.allSettled(work);
    }
  }

  /** Stops watching and scanning. */
  async close(): Promise<void> {
    this.closed = true;
    this.watcher.close();
    this.looseStop.abort();
    await Promise.all([...this.tasks.keys()].map((id) => this.stopTasks(id)));
    await Promise.allSettled([...this.loose]);
  }

  private folders(): Array<{ id: number; path: string }> {
    return this.db.prepare('SELECT id, path FROM folders ORDER BY path').all() as Array<{ id: number; path: string }>;
  }

  private folderOf(path: string): number | null {
    const f = this.folders().find((x) => isAtOrUnder(path, x.path));
    return f?.id ?? null;
  }

  /** Runs a scan of a folder after the ones already waiting; a waiting full scan covers later requests. */
  private schedule(folderId: number, what: 'full' | readonly string[]): Promise<void> {
    if (this.closed) return Promise.resolve();
    let t = this.tasks.get(folderId);
    if (!t) this.tasks.set(folderId, (t = { controller: new AbortController(), tail: Promise.resolve(), pending: 0, fullQueued: false }));
    const tasks = t;
    if (tasks.fullQueued) return tasks.tail;
    if (what === 'full') tasks.fullQueued = true;
    tasks.pending++;
    // The folder list shows a folder as scanning from now until its last task ends.
    if (tasks.pending === 1 && folderId !== LOOSE_FILES) this.hooks.libraryChanged();
    tasks.tail = tasks.tail
      .then(async () => {
        if (what === 'full') tasks.fullQueued = false;
        if (tasks.controller.signal.aborted) return;
        if (folderId === LOOSE_FILES) await this.checkLooseFiles(tasks.controller.signal);
        else if (what === 'full') await this.scanFolder(folderId, tasks.controller.signal);
        else await this.scanChanged(folderId, what, tasks.controller.signal);
      })
      .catch((error: unknown) => {
        if (!this.closed) this.hooks.notice('error', `scanning stopped: ${error instanceof Error ? error.message : String(error)}`);
      })
      .finally(() => {
        tasks.pending--;
        if (tasks.pending === 0 && !this.closed && folderId !== LOOSE_FILES) this.hooks.libraryChanged();
      });
    return tasks.tail;
  }

  private async stopTasks(folderId: number): Promise<void> {
    const t = this.tasks.get(folderId);
    if (!t) return;
    t.controller.abort();
    await t.tail;
    this.tasks.delete(folderId);
  }

  private async scan(paths: readonly string[], mode: EnqueueMode, folderId?: number, signal?: AbortSignal): Promise<ScanReport> {
    const report = await scanPaths(paths, {
      writer: this.writer,
      mode,
      folderOf: (p) => folderId ?? this.folderOf(p),
      signal,
      onBatch: (r: BatchResult) => {
        if (r.changed.length) this.hooks.tracksChanged(r.changed);
        if (r.created) this.hooks.libraryChanged();
        this.hooks.newWork();
      },
    });
    const problems = report.errors.length;
    if (problems) {
      const shown = report.errors.slice(0, 3).map((e) => `${e.path} (${e.reason})`).join('; ');
      this.hooks.notice('error', `${problems} item${problems === 1 ? '' : 's'} could not be read: ${shown}${problems > 3 ? '; ...' : ''}`);
    }
    return report;
  }

  /** Removes the files of a folder a complete scan did not see (not those under unreadable folders). */
  private removeUnseen(folderId: number, report: ScanReport, within?: string): void {
    if (report.aborted) return;
    const gone = this.writer
      .filesOf(folderId)
      .filter((f) => (within === undefined || isAtOrUnder(f.path, within)) && !report.seen.has(f.path))
      .filter((f) => !report.unreadableFolders.some((d) => isAtOrUnder(f.path, d)));
    if (gone.length === 0) return;
    this.hooks.tracksChanged(this.writer.removeFiles(gone.map((f) => f.id)));
    this.hooks.libraryChanged();
  }

  private async scanFolder(folderId: number, signal: AbortSignal): Promise<void> {
    const folder = this.folders().find((f) => f.id === folderId);
    if (!folder) return;
    const report = await this.scan([folder.path], FOLDER_SCAN, folderId, signal);
    this.removeUnseen(folderId, report);
  }

  /** Rescans what the watcher reported: gone paths lose their files, the rest is scanned. */
  private async scanChanged(folderId: number, paths: readonly string[], signal: AbortSignal): Promise<void> {
    const toScan: string[] = [];
    const dirs: string[] = [];
    const gone: number[] = [];
    for (const path of paths) {
      try {
        const st = await fs.stat(path);
        if (st.isDirectory()) {
          toScan.push(path);
          dirs.push(path);
        } else if (isAudioFileName(path)) {
          toScan.push(path);
        }
      } catch {
        gone.push(...this.writer.filesAtOrUnder(path).map((f) => f.id));
      }
    }
    if (gone.length) {
      this.hooks.tracksChanged(this.writer.removeFiles(gone));
      this.hooks.libraryChanged();
    }
    if (toScan.length === 0 || signal.aborted) return;
    const report = await this.scan(toScan, FOLDER_SCAN, folderId, signal);
    for (const dir of dirs) this.removeUnseen(folderId, report, dir);
  }

  /** Files added by dropping, outside every folder: gone ones leave, changed ones are read again. */
  private async checkLooseFiles(signal: AbortSignal): Promise<void> {
    const files = this.writer.filesOf(null);
    const gone: number[] = [];
    const present: string[] = [];
    for (const f of files) {
      if (signal.aborted) return;
      try {
        await fs.access(f.path);
        present.push(f.path);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') gone.push(f.id);
        else present.push(f.path);
      }
    }
    if (gone.length) {
      this.hooks.tracksChanged(this.writer.removeFiles(gone));
      this.hooks.libraryChanged();
    }
    if (present.length) await this.scan(present, FOLDER_SCAN, undefined, signal);
  }
}
