// Writing tags into music files for the app, browser mode and the CLI: settings, the preview, the
// batch (a selection, a folder, the library) with progress, pause, cancel and resume after a
// crash, write-as-you-review, undo per track or per batch, and what the track view shows.
import type {
  EventName,
  EventPayloads,
  FileFieldValues,
  FileTagSettings,
  TagWriteBatchRow,
  TagWritePreview,
  TagWriteStatus,
  TrackFileTags,
} from '../../src-preload/contract-data';
import { TAG_FIELDS } from '../../src-preload/contract-data';
import { finalTags, type FinalTag } from '../review/final-tags';
import { ModelRegistry, openStore, type Db } from '../library/store';
import { TrackSummaries } from '../library/summary';
import { changesOf, plannedValues, splitValues, valuesToWrite } from './plan';
import type { SafeWriteHooks } from './safe-write';
import { unsupportedReason } from './tag-io';
import { writeFailure } from './write-errors';
import { undoOne, writeOne } from './write-one';
import * as store from './write-store';

/** The contract's requests this service answers (with the app core's help for labels). */
export type FileTagRequestName =
  | 'fileTagSettings'
  | 'saveFileTagSettings'
  | 'trackFileTags'
  | 'previewTagWrite'
  | 'startTagWrite'
  | 'pauseTagWrite'
  | 'resumeTagWrite'
  | 'cancelTagWrite'
  | 'tagWriteStatus'
  | 'tagWriteHistory'
  | 'undoTagWrite'
  | 'labelFromFile';

/** Where the service's events go. */
export type FileTagEventSink = <E extends EventName>(event: E, payload: EventPayloads[E]) => void;

/** Thrown for requests the service refuses; `code` is the contract's error code. */
export class FileTagRequestError extends Error {
  constructor(
    readonly code: 'invalid-argument' | 'not-found' | 'unavailable',
    message: string,
  ) {
    super(message);
  }
}

export interface FileTagServiceOptions {
  readonly dataDir: string;
  readonly emit: FileTagEventSink;
  /** Files written at once (default 2: each write runs ffmpeg twice). */
  readonly concurrency?: number;
  readonly hooks?: SafeWriteHooks;
}

const PREVIEW_SAMPLE = 12;
const PROGRESS_INTERVAL_MS = 200;
const EMPTY: FileFieldValues = { genre: [], mood: [] };

/** The file-tag service over its own connection to the library's store. */
export class FileTagService {
  private running: Promise<void> | null = null;
  private closed = false;
  private rate = { since: 0, done: 0 };
  private current: string | null = null;
  private lastProgress = 0;
  private readonly summaries: TrackSummaries;

  private constructor(
    private readonly db: Db,
    private readonly options: FileTagServiceOptions,
  ) {
    this.summaries = new TrackSummaries(db, new ModelRegistry(db));
  }

  /** Opens the service; a batch that was running when eno stopped comes back paused. */
  static open(options: FileTagServiceOptions): FileTagService {
    const db = openStore(options.dataDir);
    const open = store.openBatch(db);
    if (open?.state === 'running') store.setBatchState(db, open.id, 'paused');
    return new FileTagService(db, options);
  }

  /** The settings in force. */
  settings(): FileTagSettings {
    return store.loadFileTagSettings(this.db);
  }

  /** Saves changed settings; returns them all. */
  saveSettings(changes: Partial<Omit<FileTagSettings, 'targets'>> & { targets?: Partial<FileTagSettings['targets']> }): FileTagSettings {
    const current = this.settings();
    const targets = { ...current.targets };
    for (const [k, v] of Object.entries(changes.targets ?? {})) if (v) targets[k as keyof typeof targets] = v;
    const next: FileTagSettings = { ...current, ...changes, targets };
    store.saveFileTagSettings(this.db, next);
    return next;
  }

  /** The final tags of a track, as the store has them now. */
  private finalTagsOf(trackId: number): FinalTag[] {
    return finalTags(this.summaries.latestPrediction(trackId)?.predicted ?? [], this.summaries.labelsOf(trackId));
  }

  /** What the track view shows about a track's file. */
  trackFileTags(trackId: number): TrackFileTags {
    const path = (this.db.prepare('SELECT path FROM files WHERE track_id = ? ORDER BY id LIMIT 1').pluck().get(trackId) as string | undefined) ?? null;
    const exists = this.db.prepare('SELECT 1 FROM tracks WHERE id = ?').get(trackId);
    if (!exists) throw new FileTagRequestError('not-found', `no track ${trackId} in the library`);
    const settings = this.settings();
    const inFile = splitValues(store.fileValuesOf(this.db, trackId), settings.separator);
    const planned = plannedValues(this.finalTagsOf(trackId), settings);
    const before = path ? store.lastContribution(this.db, trackId, path, settings.separator) : EMPTY;
    const toWrite = valuesToWrite(planned, inFile, settings, before);
    const last = store.latestItemOfTrack(this.db, trackId);
    const labelled = this.db.prepare('SELECT tag FROM file_labels WHERE track_id = ? ORDER BY tag').pluck().all(trackId) as string[];
    return {
      trackId,
      path,
      unsupported: path ? unsupportedReason(path) : 'the track has no file in the library',
      inFile,
      labelled,
      planned,
      changes: changesOf(inFile, toWrite, settings.separator),
      lastWrite: last && {
        state: last.kind === 'undo' && last.state === 'written' ? 'undone' : last.state,
        at: last.doneAt,
        code: last.errorCode,
        message: last.error,
        canUndo: store.undoableItems(this.db, { trackIds: [trackId] }).length > 0,
      },
    };
  }

  /** What writing a scope would change, from the values read at the last scan. */
  preview(scope: store.WriteScope, sampleSize = PREVIEW_SAMPLE): TagWritePreview {
    const settings = this.settings();
    const files = store.scopeFiles(this.db, scope);
    const fields = { genre: 0, mood: 0 };
    const sample: Array<TagWritePreview['sample'][number]> = [];
    let changing = 0;
    let unsupported = 0;
    let nothingToWrite = 0;
    const tagsOf = this.db.prepare('SELECT tag, category, confidence FROM track_tags WHERE track_id = ? ORDER BY position');
    for (const { trackId, path } of files) {
      if (unsupportedReason(path)) {
        unsupported++;
        continue;
      }
      // The table's denormalised final tags: confidence 1 marks what a person confirmed.
      const rows = tagsOf.all(trackId) as Array<{ tag: string; category: FinalTag['category']; confidence: number }>;
      const tags: FinalTag[] = rows.map((r) => ({ ...r, score: null, source: r.confidence >= 1 ? 'accepted' : 'model' }));
      const planned = plannedValues(tags, settings);
      if (planned.genre.length + planned.mood.length === 0) {
        nothingToWrite++;
        continue;
      }
      const inFile = store.fileValuesOf(this.db, trackId);
      const changes = changesOf(inFile, valuesToWrite(planned, inFile, settings, store.lastContribution(this.db, trackId, path, settings.separator)), settings.separator);
      if (!changes.length) continue;
      changing++;
      for (const c of changes) fields[c.field]++;
      if (sample.length < sampleSize) sample.push({ trackId, path, changes });
    }
    return { files: files.length, changing, unsupported, nothingToWrite, fields, sample };
  }

  /** Starts writing a scope's tags into its files (progress as `fileTags` events). */
  start(scope: store.WriteScope, description: string): TagWriteStatus {
    if (store.openBatch(this.db)) throw new FileTagRequestError('unavailable', 'tags are already being written; wait for that to finish, or cancel it');
    const files = store.scopeFiles(this.db, scope);
    if (!files.length) throw new FileTagRequestError('invalid-argument', 'there are no files to write in that selection');
    store.createBatch(this.db, 'write', description, this.settings(), files);
    return this.begin();
  }

  /** After tracks were marked reviewed: writes their tags when the person asked for that. */
  writeOnReview(trackIds: readonly number[]): void {
    const settings = this.settings();
    if (!settings.writeOnReview || this.closed) return;
    const files = store.scopeFiles(this.db, { kind: 'tracks', trackIds }).filter((f) => !unsupportedReason(f.path));
    if (!files.length) return;
    const open = store.openBatch(this.db);
    if (open && open.kind === 'write') store.addItems(this.db, open.id, files);
    else if (!open) store.createBatch(this.db, 'write', 'Written on review', settings, files);
    else return;
    if (!open || open.state === 'running') this.begin();
  }

  /** Puts the files of these tracks (or of this batch) back as they were before eno wrote them. */
  undo(target: { trackIds?: readonly number[]; batchId?: number }): TagWriteStatus {
    if (store.openBatch(this.db)) throw new FileTagRequestError('unavailable', 'tags are being written; wait for that to finish, or cancel it, before undoing');
    const items = store.undoableItems(this.db, target);
    if (!items.length) throw new FileTagRequestError('not-found', 'there is no write to undo there');
    const what = target.batchId !== undefined ? `Undo of write ${target.batchId}` : `Undo on ${new Set(items.map((i) => i.trackId)).size} track(s)`;
    store.createBatch(this.db, 'undo', what, this.settings(), items.map((i) => ({ trackId: i.trackId, path: i.path, undoes: i.id })));
    return this.begin();
  }

  /** Pauses after the files in flight. */
  pause(): TagWriteStatus {
    const open = store.openBatch(this.db);
    if (open) store.setBatchState(this.db, open.id, 'paused');
    return this.publish(true);
  }

  /** Resumes a paused batch. */
  resume(): TagWriteStatus {
    const open = store.openBatch(this.db);
    if (!open) return this.status();
    store.setBatchState(this.db, open.id, 'running');
    return this.begin();
  }

  /** Stops: files not written yet are skipped (the files written so far stay written, and undoable). */
  cancel(): TagWriteStatus {
    const open = store.openBatch(this.db);
    if (open) {
      this.db.transaction(() => {
        this.db.prepare("UPDATE tag_write_items SET state = 'skipped' WHERE batch_id = ? AND state = 'pending'").run(open.id);
        store.setBatchState(this.db, open.id, 'cancelled');
      }).immediate();
    }
    return this.publish(true);
  }

  /** Progress of the open batch, or the counts of the last one. */
  status(): TagWriteStatus {
    const open = store.openBatch(this.db);
    const last = open ?? (this.db.prepare('SELECT id, kind, description FROM tag_write_batches ORDER BY id DESC LIMIT 1').get() as
      | { id: number; kind: 'write' | 'undo'; description: string }
      | undefined);
    if (!last) {
      return { state: 'idle', batchId: null, kind: null, description: null, done: 0, total: 0, written: 0, unchanged: 0, failed: 0, filesPerSec: 0, etaSec: null, current: null, errors: [] };
    }
    const c = store.batchCounts(this.db, last.id);
    const total = Object.values(c).reduce((a, b) => a + b, 0);
    const done = total - c.pending;
    const elapsedSec = (performance.now() - this.rate.since) / 1000;
    const filesPerSec = open?.state === 'running' && elapsedSec > 0.5 ? (done - this.rate.done) / elapsedSec : 0;
    return {
      state: open ? open.state : 'idle',
      batchId: last.id,
      kind: last.kind,
      description: last.description,
      done,
      total,
      written: c.written + c.undone,
      unchanged: c.unchanged,
      failed: c.failed,
      filesPerSec: Math.round(filesPerSec * 10) / 10,
      etaSec: filesPerSec > 0 ? Math.round(c.pending / filesPerSec) : null,
      current: open?.state === 'running' ? this.current : null,
      errors: store.batchErrors(this.db, last.id, 5),
    };
  }

  /**
   * The file values of tracks that would become labels (all of them, or those named), per track;
   * call recordFileLabels once the labels are made.
   */
  fileValuesForLabels(trackIds: readonly number[], only?: readonly string[]): Array<{ trackId: number; values: Array<{ tag: string; field: 'genre' | 'mood' }> }> {
    const wanted = only && new Set(only.map((v) => v.toLocaleLowerCase('en')));
    return trackIds.map((trackId) => {
      const inFile = splitValues(store.fileValuesOf(this.db, trackId), this.settings().separator);
      const values = TAG_FIELDS.flatMap((field) => inFile[field].map((tag) => ({ tag, field })));
      return { trackId, values: wanted ? values.filter((v) => wanted.has(v.tag.toLocaleLowerCase('en'))) : values };
    });
  }

  /** Marks labels as made from the file's values (they go up with corrections like any label). */
  recordFileLabels(trackId: number, values: ReadonlyArray<{ tag: string; field: 'genre' | 'mood' }>): void {
    const insert = this.db.prepare('INSERT OR REPLACE INTO file_labels (track_id, tag, field, added_at) VALUES (?, ?, ?, ?)');
    this.db.transaction(() => values.forEach((v) => insert.run(trackId, v.tag, v.field, new Date().toISOString()))).immediate();
  }

  /** Every failure of a batch (for the CLI's report). */
  failures(batchId: number): Array<{ path: string; code: string; message: string }> {
    return store.allBatchErrors(this.db, batchId);
  }

  /** Write batches, newest first. */
  history(): TagWriteBatchRow[] {
    return store.batchHistory(this.db, 50);
  }

  /** Resolves when no batch is running (for the CLI, tests and an orderly shutdown). */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  /** Stops after the files in flight (an unfinished batch resumes, paused, next time) and closes the store. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.idle();
    this.db.close();
  }

  private begin(): TagWriteStatus {
    if (!this.running) {
      this.rate = { since: performance.now(), done: this.status().done };
      this.running = this.loop().finally(() => {
        this.running = null;
        this.current = null;
        if (!this.closed) this.publish(true);
      });
    }
    return this.publish(true);
  }

  private async loop(): Promise<void> {
    const concurrency = Math.max(1, this.options.concurrency ?? 2);
    const inFlight = new Map<number, Promise<void>>();
    for (;;) {
      const open = store.openBatch(this.db);
      if (this.closed || !open || open.state !== 'running') break;
      const next = store.pendingItems(this.db, open.id, new Set(inFlight.keys()), concurrency - inFlight.size);
      if (!next.length && !inFlight.size) {
        store.setBatchState(this.db, open.id, 'done');
        break;
      }
      for (const item of next) {
        const job = this.process(item, open.kind, open.settings).finally(() => inFlight.delete(item.id));
        inFlight.set(item.id, job);
      }
      if (inFlight.size) await Promise.race(inFlight.values());
    }
    await Promise.all(inFlight.values());
  }

  private async process(item: store.WriteItem, kind: 'write' | 'undo', settings: FileTagSettings): Promise<void> {
    this.current = item.path;
    try {
      const scanned = store.scannedStateOf(this.db, item.path);
      if (kind === 'undo') await undoOne(this.db, item, scanned, this.options.hooks);
      else await writeOne(this.db, this.finalTagsOf(item.trackId), item, settings, scanned, this.options.hooks);
    } catch (error) {
      const failure = writeFailure(error);
      store.finishItem(this.db, item.id, { state: 'failed', code: failure.code, message: failure.message });
    }
    if (!this.closed) {
      this.options.emit('tracksChanged', { ids: [item.trackId] });
      this.publish(false);
    }
  }

  private publish(force: boolean): TagWriteStatus {
    const status = this.status();
    const now = performance.now();
    if (!this.closed && (force || now - this.lastProgress >= PROGRESS_INTERVAL_MS || status.done === status.total)) {
      this.lastProgress = now;
      this.options.emit('fileTags', status);
    }
    return status;
  }
}
