// The library service used by Electron, the CLI and browser mode alike: one method per library or
// review request of the contract (same names, argument and result types), events through onEvent,
// and a few extras for the media server, `eno tag --data-dir` and the dataset uploader.
import { existsSync } from 'node:fs';
import { cpus } from 'node:os';
import { resolve } from 'node:path';
import type {
  EventName,
  EventPayloads,
  ParsedArg,
  RequestName,
  RequestResult,
  ReviewOutcome,
} from '../../src-preload/contract';
import type { FileTagRequestName } from '../file-tags/file-tag-service';
import type { TaggingEngine } from '../inference/engine';
import type { ModelManifest } from '../inference/manifest';
import { LearnedTagRequests } from '../learning/learned-requests';
import { LearnedScorer } from '../learning/learned-scorer';
import { LearningService } from '../learning/learning-service';
import { fsReason } from '../fs-reason';
import type { CorrectionForUpload } from '../review/corrections';
import type { TaggedTrack, TagOutcome } from '../tagging/tag-file';
import { sampledContentHash } from './content-hash';
import { pendingCorrections } from './corrections-store';
import { FolderScans, LibraryError } from './folder-scans';
import { JobStore, PRIORITY } from './job-store';
import { MetadataReader } from './metadata';
import { queueForSet, rebuildSummaries } from './model-set-change';
import { OutcomeWriter } from './outcome-writes';
import { ReviewWriter } from './review-writes';
import { activeModelKeys, getSetting, ModelRegistry, openStore, setSetting, SETTINGS, type Db, type StoredModel } from './store';
import { TrackSummaries } from './summary';
import { TagQueue } from './tag-queue';
import { trackDetail } from './track-detail';
import { CoverCache, type CoverArt } from './cover-art';
import { matchingIds, queryPage, reviewOrder, selectionSummary, trackRows } from './track-query';
import { TrackWriter, type ScanItem } from './track-writes';

/** Thrown for requests the library refuses; `code` is the contract's error code. */
export { LibraryError } from './folder-scans';

/** Where the library's events go (the IPC or WebSocket layer forwards them to every window). */
export type EventSink = <E extends EventName>(event: E, payload: EventPayloads[E]) => void;

/** The contract's requests the library answers. */
export type LibraryRequestName = Exclude<RequestName, 'appInfo' | ModelAndClearmlRequestName | FileTagRequestName>;

/** Requests about models and ClearML, answered by the app core, not the library. */
export type ModelAndClearmlRequestName =
  | 'clearmlSettings'
  | 'saveClearmlSettings'
  | 'testClearmlConnection'
  | 'uploadPreview'
  | 'startUpload'
  | 'cancelUpload'
  | 'uploadState'
  | 'uploadHistory'
  | 'listRegistryModels'
  | 'pullModel'
  | 'listLocalModels'
  | 'useModel';

/** Whether a model of the engine's set tells music from speech, silence and noise. */
function judgesMusic(engine: TaggingEngine): boolean {
  return engine.bundles.some((b) => b.manifest.detectors?.music !== undefined);
}

/** The library's side of the contract: checked against it at compile time. */
export type LibraryRequests = {
  [N in LibraryRequestName]: (arg: ParsedArg<N>) => RequestResult<N> | Promise<RequestResult<N>>;
};

/** How to open the library. */
export interface LibraryOptions {
  readonly dataDir: string;
  /** The tagging engine; null runs the library without tagging (jobs wait in the store). */
  readonly engine: TaggingEngine | null;
  /** Tracks tagged at once; default: the number of CPU cores. */
  readonly concurrency?: number;
  readonly onEvent: EventSink;
  /** Watch the folders and rescan them on open (default true; `eno tag --data-dir` turns it off). */
  readonly watch?: boolean;
  /** Tag queued tracks (default true). */
  readonly runQueue?: boolean;
  /** Learn tags from corrections in a worker (default: as runQueue). */
  readonly learn?: boolean;
  /** Where the library logs what it decided (learning refits). */
  readonly log?: (line: string) => void;
}

/** How often batched tracksChanged events go out. */
const CHANGED_INTERVAL_MS = 100;

/** The library service. */
export class Library implements LibraryRequests {
  private readonly changed = new Set<number>();
  private readonly covers = new CoverCache();
  private changedTimer: NodeJS.Timeout | undefined;
  private closed = false;
  /** Whether a model of the active set tells music from speech, silence and noise. */
  private judgesMusic = false;
  private log: (message: string) => void = () => undefined;
  /** The running rebuild of final tags after a change of the model set. */
  private rebuilding: Promise<void> = Promise.resolve();

  private constructor(
    private readonly db: Db,
    private readonly models: ModelRegistry,
    private readonly summaries: TrackSummaries,
    private readonly jobs: JobStore,
    private readonly outcomes: OutcomeWriter,
    private readonly reviews: ReviewWriter,
    private readonly folders: FolderScans,
    private readonly queue: TagQueue,
    private readonly metadata: MetadataReader,
    private readonly writer: TrackWriter,
    private readonly emit: EventSink,
    private readonly learning: LearningService | null,
    private readonly learned: LearnedTagRequests,
  ) {}

  /** Opens the store in a data folder, resumes the queue and (unless told not to) watches the folders. */
  static async open(options: LibraryOptions): Promise<Library> {
    const db = openStore(options.dataDir);
    try {
      return Library.assemble(db, options);
    } catch (error) {
      db.close();
      throw error;
    }
  }

  private static assemble(db: Db, options: LibraryOptions): Library {
    const models = new ModelRegistry(db);
    if (options.engine) activate(db, models, options.engine.bundles.map((b) => b.manifest));
    const summaries = new TrackSummaries(db, models, () => activeModelKeys(db));
    const jobs = new JobStore(db);
    // Only the process that runs the queue owns its jobs: `eno tag --data-dir` next to a running
    // app must not put the app's jobs in flight back in the queue.
    if (options.runQueue !== false) jobs.recover();
    const writer = new TrackWriter(db, summaries, jobs, () => getSetting(db, SETTINGS.activeModel) ?? null);
    // Late binding: the hooks below need the library, which needs them.
    const self: { library?: Library } = {};
    const folders = new FolderScans(
      db,
      writer,
      {
        tracksChanged: (ids) => self.library?.markChanged(ids),
        libraryChanged: () => self.library?.libraryChanged(),
        notice: (level, message) => self.library?.notice(level, message),
        newWork: () => {
          self.library?.queue.kick();
          self.library?.metadata.wake();
        },
      },
      options.watch ?? true,
    );
    const queue = new TagQueue(
      jobs,
      options.runQueue === false ? null : options.engine,
      Math.max(1, options.concurrency ?? cpus().length),
      getSetting(db, SETTINGS.queuePaused) === '1',
      {
        onOutcome: (trackId, outcome) => self.library?.recordOutcome(trackId, outcome),
        onPartial: (trackId, partial) => self.library?.recordPartial(trackId, partial),
        onTracksChanged: (ids) => self.library?.markChanged(ids),
        onProgress: (status) => self.library?.emitIfOpen('queue', status),
        onEngineFailure: (message) => self.library?.notice('error', `tagging stopped because the engine failed: ${message}`),
      },
    );
    const metadata = new MetadataReader(db, summaries, (ids) => self.library?.markChanged(ids));
    const learning =
      (options.learn ?? options.runQueue !== false)
        ? new LearningService(options.dataDir, {
            onStatus: (status) => self.library?.emitIfOpen('learning', status),
            onTracksChanged: (ids) => (ids.length ? self.library?.markChanged(ids) : self.library?.emitIfOpen('tracksChanged', { ids: [] })),
            log: options.log ?? (() => undefined),
          })
        : null;
    const reviews = new ReviewWriter(db, summaries, models);
    const library: Library = new Library(
      db,
      models,
      summaries,
      jobs,
      new OutcomeWriter(db, summaries, jobs),
      reviews,
      folders,
      queue,
      metadata,
      writer,
      options.onEvent,
      learning,
      new LearnedTagRequests(db, models, learning, (trackIds, tag): ReviewOutcome => self.library!.label({ trackIds, action: 'accept', tag })),
    );
    self.library = library;
    library.judgesMusic = options.engine !== null && judgesMusic(options.engine);
    library.log = options.log ?? (() => undefined);
    // Corrections made while the app was closed (or by `eno` meanwhile) are learned from shortly.
    if (learning && db.prepare('SELECT EXISTS (SELECT 1 FROM labels) OR EXISTS (SELECT 1 FROM tracks WHERE reviewed_at IS NOT NULL)').pluck().get()) {
      learning.judgementsChanged();
    }
    if (options.watch ?? true) folders.start();
    metadata.wake();
    queue.kick();
    return library;
  }

  /** The library folders. */
  listFolders(): RequestResult<'listFolders'> {
    return this.folders.list();
  }

  /** Adds a folder and scans it in the background. */
  addFolder(arg: ParsedArg<'addFolder'>): Promise<RequestResult<'addFolder'>> {
    return this.folders.add(arg.path);
  }

  /** Removes a folder; its tracks leave the table (corrected ones stay in the store for upload unless told to forget them). */
  async removeFolder(arg: { readonly id: number; readonly forgetCorrections?: boolean }): Promise<RequestResult<'removeFolder'>> {
    await this.folders.remove(arg.id, arg.forgetCorrections ?? false);
    return null;
  }

  /** Rescans one folder in the background. */
  rescanFolder(arg: ParsedArg<'rescanFolder'>): RequestResult<'rescanFolder'> {
    this.folders.rescan(arg.id);
    return null;
  }

  /** What the selected tracks share. */
  selectionSummary(arg: ParsedArg<'selectionSummary'>): RequestResult<'selectionSummary'> {
    return selectionSummary(this.db, arg.trackIds);
  }

  /** The embedded cover picture of a track's file, or null when it has none (or is not in the library). */
  coverArt(trackId: number): Promise<CoverArt | null> {
    const file = this.mediaFile(trackId);
    return file ? this.covers.read(file) : Promise.resolve(null);
  }

  /** Adds dropped files and folders, queued ahead of folder scans; resolves once they are in the store. */
  addPaths(arg: ParsedArg<'addPaths'>): Promise<RequestResult<'addPaths'>> {
    return this.folders.addPaths(arg.paths);
  }

  /** Rescans every folder in the background (only files whose size or mtime changed are read). */
  rescan(): RequestResult<'rescan'> {
    this.folders.rescanAll();
    return null;
  }

  /** One page of the table. */
  queryTracks(arg: ParsedArg<'queryTracks'>): RequestResult<'queryTracks'> {
    return queryPage(this.db, this.canonicalQuery(arg));
  }

  /** Every matching id in table order. */
  trackIds(arg: ParsedArg<'trackIds'>): RequestResult<'trackIds'> {
    return matchingIds(this.db, this.canonicalQuery(arg));
  }

  /** Track ids to review, most uncertain first. */
  reviewQueue(arg: ParsedArg<'reviewQueue'>): RequestResult<'reviewQueue'> {
    return reviewOrder(this.db, arg.limit);
  }

  /** The track view's data. */
  getTrack(arg: ParsedArg<'getTrack'>): RequestResult<'getTrack'> {
    const detail = trackDetail(this.db, this.summaries, arg.id);
    if (!detail) throw new LibraryError('not-found', `no track ${arg.id} in the library`);
    return detail;
  }

  /** Applies a correction to the tracks; durable when this returns. */
  label(arg: ParsedArg<'label'>): RequestResult<'label'> {
    const changed = this.reviews.label(arg.trackIds, arg.action, arg.tag);
    return this.outcomeOf(arg.trackIds, changed);
  }

  /** Renames a tag people added, or merges it into another; undoable; durable when this returns. */
  renameTag(arg: ParsedArg<'renameTag'>): RequestResult<'renameTag'> {
    const changed = this.reviews.rename(arg.from, arg.to);
    return this.outcomeOf(changed, changed);
  }

  /** The "Learned tags" panel. */
  learnedTags(): RequestResult<'learnedTags'> {
    return this.learned.view();
  }

  /** The tracks a learned tag was fitted on. */
  learnedTagExamples(arg: ParsedArg<'learnedTagExamples'>): RequestResult<'learnedTagExamples'> {
    return this.learned.examples({ ...arg, tag: this.reviews.canonical(arg.tag) });
  }

  /** Switches a learned tag off or on. */
  setLearnedTagEnabled(arg: ParsedArg<'setLearnedTagEnabled'>): Promise<RequestResult<'setLearnedTagEnabled'>> {
    return this.learned.setEnabled({ ...arg, tag: this.reviews.canonical(arg.tag) });
  }

  /** "Accept all above X": a preview count, or the accept as one undoable step. */
  acceptLearned(arg: ParsedArg<'acceptLearned'>): RequestResult<'acceptLearned'> {
    return this.learned.acceptAbove({ ...arg, tag: this.reviews.canonical(arg.tag) });
  }

  /** "More like this": the nearest tracks by embedding. */
  similarTracks(arg: ParsedArg<'similarTracks'>): Promise<RequestResult<'similarTracks'>> {
    return this.learned.similar(arg);
  }

  /** Refits learned tags now. */
  learnNow(): Promise<RequestResult<'learnNow'>> {
    return this.learned.learnNow();
  }

  /** The learned tags as they are now, to score files tagged outside the queue (`eno tag --data-dir`). */
  learnedScorer(): LearnedScorer {
    return LearnedScorer.fromStore(this.db);
  }

  /** Marks tracks reviewed or not; durable when this returns. */
  setReviewed(arg: ParsedArg<'setReviewed'>): RequestResult<'setReviewed'> {
    const changed = this.reviews.setReviewed(arg.trackIds, arg.reviewed);
    return this.outcomeOf(arg.trackIds, changed);
  }

  /** Keeps tracks judged not music in the review queue and uploads (music true), or not. */
  setMusic(arg: ParsedArg<'setMusic'>): RequestResult<'setMusic'> {
    const set = this.db.prepare('UPDATE tracks SET music_override = ? WHERE id = ?');
    this.db.transaction(() => arg.trackIds.forEach((id) => set.run(arg.music ? 1 : 0, id))).immediate();
    return this.outcomeOf(arg.trackIds, arg.trackIds);
  }

  /** Undoes the last step; durable when this returns. */
  undo(): RequestResult<'undo'> {
    const changed = this.reviews.undo();
    return this.outcomeOf(changed, changed);
  }

  /** Redoes the last undone step; durable when this returns. */
  redo(): RequestResult<'redo'> {
    const changed = this.reviews.redo();
    return this.outcomeOf(changed, changed);
  }

  /** What undo and redo would do. */
  history(): RequestResult<'history'> {
    return this.reviews.history();
  }

  /** The active model's tags and the tags people added. */
  vocabulary(): RequestResult<'vocabulary'> {
    const set = activeModelKeys(this.db)
      .map((key) => this.models.get(key))
      .filter((m): m is StoredModel => m !== undefined);
    const tags = set.flatMap((m) => m.tags.map((t) => ({ tag: t.name, category: t.category, model: m.id, threshold: t.threshold })));
    const known = new Set(tags.map((t) => t.tag.toLocaleLowerCase('en')));
    // Tags people added that still label a track (a renamed tag's old name drops out).
    const user = (
      this.db
        .prepare('SELECT tag FROM user_tags u WHERE EXISTS (SELECT 1 FROM labels l WHERE l.tag = u.tag) ORDER BY tag COLLATE NOCASE')
        .pluck()
        .all() as string[]
    ).filter(
      (t) => !known.has(t.toLocaleLowerCase('en')),
    );
    return { model: tags, user };
  }

  /** The queue's progress. */
  queueStatus(): RequestResult<'queueStatus'> {
    return this.queue.status();
  }

  /** Pauses tagging (remembered across restarts). */
  pauseQueue(): RequestResult<'pauseQueue'> {
    setSetting(this.db, SETTINGS.queuePaused, '1');
    return this.queue.pause();
  }

  /** Resumes tagging. */
  resumeQueue(): RequestResult<'resumeQueue'> {
    setSetting(this.db, SETTINGS.queuePaused, '0');
    return this.queue.resume();
  }

  /** Empties the queue. */
  cancelQueue(): RequestResult<'cancelQueue'> {
    this.markChanged(this.queue.cancel());
    return this.queue.status();
  }

  /** Queues every untagged or failed track again (and looks again at files that could not be read). */
  retryUntagged(): RequestResult<'retryUntagged'> {
    const ids = this.db
      .prepare("SELECT id FROM tracks WHERE hash IS NOT NULL AND file_count > 0 AND status IN ('untagged', 'error')")
      .pluck()
      .all() as number[];
    this.db.transaction(() => this.jobs.enqueue(ids, PRIORITY.folderScan)).immediate();
    this.markChanged(ids);
    const unreadable = this.db
      .prepare("SELECT f.path FROM files f JOIN tracks t ON t.id = f.track_id WHERE t.hash IS NULL")
      .pluck()
      .all() as string[];
    if (unreadable.length) this.folders.recheck(unreadable);
    this.queue.kick();
    return this.queue.status();
  }

  /** A file of the track that exists now, for the media server; null when the track is not in the library. */
  mediaFile(trackId: number): string | null {
    const paths = this.db.prepare('SELECT path FROM files WHERE track_id = ? ORDER BY id').pluck().all(trackId) as string[];
    return paths.find((p) => existsSync(p)) ?? null;
  }

  /** Records a result of `eno tag` in the store, adding the file's track if needed; returns the track id. */
  async importOutcome(path: string, outcome: TagOutcome): Promise<number> {
    const abs = resolve(path);
    let item: ScanItem;
    try {
      const h = await sampledContentHash(abs);
      item = { kind: 'file', path: abs, folderId: null, sizeBytes: h.sizeBytes, mtimeMs: h.mtimeMs, hash: h.hash };
    } catch (error) {
      item = { kind: 'unreadable', path: abs, folderId: null, reason: outcome.status === 'error' ? outcome.reason : fsReason(error) };
    }
    const batch = this.writer.applyBatch([item], null);
    const trackId = this.writer.stateOf(abs)!.trackId;
    if (item.kind === 'file') this.recordOutcome(trackId, outcome);
    if (batch.created) this.libraryChanged();
    this.metadata.wake();
    return trackId;
  }

  /** Makes a new engine (a new model set) the one that tags; call retagAll() to bring the library to it. */
  async setEngine(engine: TaggingEngine): Promise<void> {
    activate(this.db, this.models, engine.bundles.map((b) => b.manifest));
    this.judgesMusic = judgesMusic(engine);
    await this.queue.setEngine(engine);
  }

  /**
   * Brings the library to the active model set: final tags follow the set's stored predictions at
   * once (rebuilt in the background), verdicts go when no model of the set judges music, and the
   * tracks the set still has to tag are queued behind other work. Tracks a person judged whose top
   * tags then change are flagged needsReview as their new tags arrive. Returns how many were queued.
   */
  retagAll(): number {
    const ids = queueForSet(this.db, this.jobs, this.judgesMusic);
    this.markChanged(ids);
    this.queue.kick();
    this.rebuilding = this.rebuilding
      .then(() => rebuildSummaries(this.db, this.summaries, (chunk) => this.markChanged(chunk), () => !this.closed))
      .then(() => undefined, (error: Error) => this.log(`rebuilding final tags for the model set failed: ${error.message}`));
    return ids.length;
  }

  /** Resolves when the final tags follow the model set (after retagAll). */
  settledSet(): Promise<void> {
    return this.rebuilding;
  }

  /** Corrections not uploaded yet, for the dataset uploader. */
  pendingCorrections(): CorrectionForUpload[] {
    return pendingCorrections(this.db, this.summaries);
  }

  /** The store's connection, shared by the upload ledger: what went up is kept in this schema, in these transactions. */
  connection(): Db {
    return this.db;
  }

  /** Resolves when no scan is running and (unless only scans are asked for) metadata reading has caught up. */
  async settled(what: 'scans' | 'all' = 'all'): Promise<void> {
    await this.folders.idle();
    if (what === 'all') await this.metadata.idle();
  }

  /** Stops scans, watchers and the queue (tracks in flight go back to it), then closes the store. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearTimeout(this.changedTimer);
    await this.folders.close();
    await this.rebuilding;
    await this.queue.close();
    await this.metadata.close();
    await this.learning?.close();
    this.db.close();
  }

  private activeModel(): StoredModel | undefined {
    const key = getSetting(this.db, SETTINGS.activeModel);
    return key ? this.models.get(key) : undefined;
  }

  private canonicalQuery<Q extends ParsedArg<'trackIds'>>(q: Q): Q {
    return q.tag === null ? q : { ...q, tag: this.reviews.canonical(q.tag) };
  }

  private outcomeOf(rowIds: readonly number[], changed: readonly number[]): ReviewOutcome {
    if (changed.length) {
      this.emitIfOpen('tracksChanged', { ids: [...changed] });
      this.learning?.judgementsChanged();
    }
    return { tracks: trackRows(this.db, [...new Set(rowIds)]), history: this.reviews.history() };
  }

  /** Provisional tags of a dropped track, shown while the rest of it is analysed. */
  private recordPartial(trackId: number, partial: TaggedTrack): void {
    if (!this.closed && this.outcomes.recordPartial(trackId, partial, this.models)) this.markChanged([trackId]);
  }

  private recordOutcome(trackId: number, outcome: TagOutcome): void {
    this.outcomes.record(trackId, outcome, this.models);
    this.markChanged([trackId]);
    if (outcome.status === 'ok') this.learning?.embeddingsChanged();
  }

  private markChanged(ids: readonly number[]): void {
    if (this.closed || ids.length === 0) return;
    for (const id of ids) this.changed.add(id);
    this.changedTimer ??= setTimeout(() => {
      this.changedTimer = undefined;
      const batch = [...this.changed];
      this.changed.clear();
      this.emitIfOpen('tracksChanged', { ids: batch });
    }, CHANGED_INTERVAL_MS);
  }

  private libraryChanged(): void {
    this.emitIfOpen('libraryChanged', { folders: this.folders.list() });
  }

  private notice(level: 'info' | 'error', message: string): void {
    this.emitIfOpen('notice', { level, message });
  }

  /** Emits an event unless the library is closed. */
  emitIfOpen<E extends EventName>(event: E, payload: EventPayloads[E]): void {
    if (!this.closed) this.emit(event, payload);
  }
}

/** Registers the bundles of a model set and makes it the active set (its first model the active model). */
function activate(db: Db, models: ModelRegistry, manifests: readonly ModelManifest[]): void {
  const keys = manifests.map((m) => models.register(m).key);
  setSetting(db, SETTINGS.activeModel, keys[0]!);
  setSetting(db, SETTINGS.activeModels, JSON.stringify(keys));
}
