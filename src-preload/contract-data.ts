// The data that crosses between the window and the core: plain serialisable shapes (no classes,
// no Dates: ISO strings; no Buffers), the names of every request and event, and the IPC channel
// names. Free of zod so the sandboxed preload stays small; contract.ts adds the argument schemas.

/** Errors cross the boundary as values: only the message survives serialisation anyway. */
export type Result<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: ErrorInfo };

export interface ErrorInfo {
  /** Machine-readable: invalid-argument, not-found, forbidden, unavailable, failed. */
  readonly code: string;
  readonly message: string;
}

export const TAG_CATEGORIES = ['genre', 'descriptor', 'era', 'vocal', 'instrument', 'other'] as const;
export type TagCategory = (typeof TAG_CATEGORIES)[number];

/** The fields of a music file eno writes tags into (Picard's names: genre, mood). */
export const TAG_FIELDS = ['genre', 'mood'] as const;
export type TagField = (typeof TAG_FIELDS)[number];

/** Values of the fields eno writes, as a file carries them (an empty list: the field is absent). */
export interface FileFieldValues {
  readonly genre: readonly string[];
  readonly mood: readonly string[];
}

/** Why a file was not written (its original is untouched). */
export const FILE_WRITE_CODES = ['unsupported', 'read-only', 'vanished', 'changed', 'disk-full', 'damaged', 'verify-failed', 'failed'] as const;
export type FileWriteCode = (typeof FILE_WRITE_CODES)[number];

/** Where tags of a category go in the file; 'unknown': tags people added that the model lacks. */
export const TAG_TARGET_KEYS = ['genre', 'descriptor', 'era', 'vocal', 'instrument', 'other', 'unknown'] as const;
export type TagTargetKey = (typeof TAG_TARGET_KEYS)[number];

/** How eno writes tags into music files. */
export interface FileTagSettings {
  /** The file field each category goes to, or 'none'. */
  readonly targets: Readonly<Record<TagTargetKey, TagField | 'none'>>;
  /** At most this many values per field, most confident first. */
  readonly maxPerField: number;
  /** Model tags nobody confirmed are written only from this confidence up (0-1). */
  readonly minConfidence: number;
  /** What happens to values the file already has: kept (field left alone), merged, or replaced. */
  readonly existing: 'keep' | 'merge' | 'replace';
  /** "Post-Rock" (title), "post-rock" (lower), or as the tag is named. */
  readonly capitalisation: 'title' | 'lower' | 'as-is';
  /** Several values as separate values (ID3v2.4, MP4) or joined into one string. */
  readonly multiValue: 'separate' | 'joined';
  /** Between joined values, and always in ID3v2.3 files. */
  readonly separator: string;
  /** Write a track's tags into its file as soon as it is marked reviewed. */
  readonly writeOnReview: boolean;
}

/** Which tracks a write covers. */
export type TagWriteScope =
  | { readonly kind: 'tracks'; readonly trackIds: readonly number[] }
  | { readonly kind: 'folder'; readonly folderId: number }
  | { readonly kind: 'library' };

/** One field of one file, before and after. */
export interface FieldChange {
  readonly field: TagField;
  readonly before: readonly string[];
  readonly after: readonly string[];
}

/** What a write would do, from the values read at the last scan. */
export interface TagWritePreview {
  readonly files: number;
  /** Files whose genre or mood would change. */
  readonly changing: number;
  /** Files eno cannot write (format), or with nothing to write. */
  readonly unsupported: number;
  readonly nothingToWrite: number;
  /** Per field: how many files it changes in. */
  readonly fields: Readonly<Record<TagField, number>>;
  /** A sample of the changes, file by file. */
  readonly sample: ReadonlyArray<{ readonly trackId: number; readonly path: string; readonly changes: readonly FieldChange[] }>;
}

/** Progress of the running (or last) write batch. */
export interface TagWriteStatus {
  readonly state: 'idle' | 'running' | 'paused';
  readonly batchId: number | null;
  readonly kind: 'write' | 'undo' | null;
  readonly description: string | null;
  readonly done: number;
  readonly total: number;
  readonly written: number;
  readonly unchanged: number;
  readonly failed: number;
  readonly filesPerSec: number;
  readonly etaSec: number | null;
  readonly current: string | null;
  /** The last few failures, newest first. */
  readonly errors: ReadonlyArray<{ readonly path: string; readonly code: FileWriteCode; readonly message: string }>;
}

/** A write batch in the history. */
export interface TagWriteBatchRow {
  readonly id: number;
  readonly kind: 'write' | 'undo';
  readonly description: string;
  readonly createdAt: string;
  readonly state: 'running' | 'paused' | 'done' | 'cancelled';
  readonly written: number;
  readonly failed: number;
  /** Files of the batch whose write can still be undone. */
  readonly undoable: number;
}

/** A track's tags in its file: what the file says, what eno would write, and the last write. */
export interface TrackFileTags {
  readonly trackId: number;
  readonly path: string | null;
  /** Why eno cannot write this file, when it cannot. */
  readonly unsupported: string | null;
  readonly inFile: FileFieldValues;
  /** Values of the file that are labels of the track, made from the file. */
  readonly labelled: readonly string[];
  readonly planned: FileFieldValues;
  readonly changes: readonly FieldChange[];
  readonly lastWrite: {
    readonly state: 'written' | 'unchanged' | 'failed' | 'undone' | 'pending' | 'skipped';
    readonly at: string | null;
    readonly code: FileWriteCode | null;
    readonly message: string | null;
    readonly canUndo: boolean;
  } | null;
}

export const TRACK_STATUSES = ['untagged', 'queued', 'tagging', 'tagged', 'error', 'reviewed', 'not music'] as const;
export type TrackStatus = (typeof TRACK_STATUSES)[number];

export interface ModelInfo {
  readonly id: string;
  readonly version: string;
  readonly name: string;
  readonly source: string;
}

export interface AppInfo {
  readonly version: string;
  readonly transport: 'electron' | 'browser';
  readonly dataDir: string;
  readonly model: ModelInfo;
  readonly provider: string;
  /** Why the preferred execution provider is not in use, when it is not. */
  readonly providerNote: string | null;
  /** Every model that tags (`model` is the first), and whether the AudioSet model is among them. */
  readonly modelSet: ModelSetInfo;
}

/** The models that tag together, and whether the window may change the set. */
export interface ModelSetInfo {
  /** The active model first, then the AudioSet model when it is in the set. */
  readonly models: readonly ModelInfo[];
  /** True when the AudioSet model (EfficientAT mn04) tags beside the active model. */
  readonly audioset: boolean;
  /** Why the set cannot be changed here (a model folder given on the command line), or null. */
  readonly fixedReason: string | null;
}

export interface TagScore {
  readonly tag: string;
  readonly score: number;
  /** Id of the model the tag came from; absent for tags a person added. */
  readonly model?: string;
}

/** One row of the library table. */
export interface TrackRow {
  readonly id: number;
  readonly title: string;
  readonly artist: string | null;
  readonly album: string | null;
  readonly durationSec: number | null;
  readonly status: TrackStatus;
  /** The reason a track could not be read or tagged. */
  readonly error: string | null;
  /** Final genres and descriptors: predictions above threshold, with the user's corrections applied. */
  readonly genres: readonly TagScore[];
  readonly descriptors: readonly TagScore[];
  /** The other final tags: eras, vocals, instruments, and tags people added that the model lacks. */
  readonly others: readonly TagScore[];
  /** True when a new model changed this track's top tags since it was last reviewed. */
  readonly needsReview: boolean;
  readonly path: string | null;
  /** A person changed its tags (accepted, rejected or added one). */
  readonly edited?: boolean;
  /** Its corrections (tags or review mark) are all in an uploaded dataset version. */
  readonly uploaded?: boolean;
}

/** What several selected tracks share: how many carry each final tag. */
export interface SelectionSummary {
  /** Selected tracks in the library. */
  readonly tracks: number;
  readonly reviewed: number;
  readonly edited: number;
  /** Every final tag of any selected track, most common first. */
  readonly tags: ReadonlyArray<{ readonly tag: string; readonly category: TagCategory | null; readonly count: number }>;
}

export interface FolderRow {
  readonly id: number;
  readonly path: string;
  readonly tracks: number;
  readonly scanning: boolean;
}

/** What adding a folder did: the folder as it is in the library now. */
export interface AddFolderResult extends FolderRow {
  /**
   * Set when nothing was added: the folder was in the library already ('same'), or inside a
   * library folder ('inside'; `path` is that folder). It is rescanned for changes either way.
   */
  readonly alreadyIn?: 'same' | 'inside';
}

export interface PredictedTag {
  readonly tag: string;
  readonly category: TagCategory;
  readonly score: number;
  readonly threshold: number;
  /** Id of the model of the set that gave the tag. */
  readonly model?: string;
}

export type LabelState = 'accepted' | 'rejected' | 'added';

export interface TrackLabel {
  readonly tag: string;
  readonly state: LabelState;
  readonly updatedAt: string;
}

export interface TrackDetail {
  readonly row: TrackRow;
  readonly files: readonly string[];
  /** Interleaved min/max pairs in [-1, 1] across the whole track; empty until tagged. */
  readonly peaks: readonly number[];
  readonly prediction: {
    readonly modelId: string;
    readonly modelVersion: string;
    readonly provider: string;
    readonly createdAt: string;
    /** Seconds of audio per taggram column. */
    readonly patchSec: number;
    /** Every tag of the model, best first. */
    readonly tags: readonly PredictedTag[];
    /** Per-patch activations of the best tags, one row per tag. */
    readonly taggram: { readonly tags: readonly string[]; readonly rows: ReadonlyArray<readonly number[]> };
  } | null;
  readonly labels: readonly TrackLabel[];
  /** Predicted tags above threshold with the corrections applied: what the user confirmed. */
  readonly finalTags: readonly string[];
  /**
   * Music or not, as the model set judged the audio (null: no model of the set can tell), and
   * whether a person said it is music after all.
   */
  readonly music?: { readonly verdict: 'music' | 'not music' | null; readonly override: boolean };
  readonly reviewedAt: string | null;
  /**
   * Tags learned on this device from the person's examples that suggest themselves for this track
   * (score at or above the tag's threshold), best first. Never part of finalTags until accepted.
   */
  readonly learned: readonly LearnedSuggestion[];
}

/** A learned tag's suggestion for one track. */
export interface LearnedSuggestion {
  readonly tag: string;
  /** The classifier's probability for this track. */
  readonly score: number;
  readonly threshold: number;
  /** The tag's cross-validated precision and recall at its threshold. */
  readonly precision: number;
  readonly recall: number;
}

/** Where on-device learning stands. */
export interface LearningStatus {
  /** waiting: corrections arrived and a refit follows shortly. */
  readonly state: 'idle' | 'waiting' | 'refitting';
  readonly currentTag: string | null;
  /** The embedding learned tags read (model keys joined by '+'), once known. */
  readonly space: string | null;
  /** Tracks with an embedding in that space. */
  readonly embeddings: number | null;
  readonly lastRefit: {
    readonly at: string;
    /** Suggestions the refit added and removed, over all tags. */
    readonly added: number;
    readonly removed: number;
    readonly fitted: number;
    readonly learned: number;
    readonly durationMs: number;
  } | null;
  /** Why nothing can be learned (no embeddings yet, every track failed), when that is so. */
  readonly problem: string | null;
}

/** One learned tag as the "Learned tags" panel lists it. */
export interface LearnedTagRow {
  readonly tag: string;
  readonly enabled: boolean;
  /**
   * learned: suggesting; not-learnable: its examples cannot be told apart yet (cross-validated
   * precision below 0.5); too-few: needs more examples; off: switched off by the person.
   */
  readonly status: 'learned' | 'not-learnable' | 'too-few' | 'off';
  readonly positives: number;
  readonly negatives: number;
  /** More examples needed before it is learned (0 when it has enough). */
  readonly positivesNeeded: number;
  readonly negativesNeeded: number;
  readonly precision: number | null;
  readonly recall: number | null;
  readonly auc: number | null;
  readonly threshold: number | null;
  /** Tracks it currently suggests (not already carrying the tag, not judged on it). */
  readonly suggested: number;
  /** True when the tag is in the model's vocabulary (it can be merged into, not renamed). */
  readonly modelTag: boolean;
  readonly space: string | null;
  readonly fittedAt: string | null;
}

/** The "Learned tags" panel's data. */
export interface LearnedTagsView {
  readonly status: LearningStatus;
  readonly tags: readonly LearnedTagRow[];
}

/** The tracks a learned tag was fitted on. */
export interface LearnedTagExamples {
  readonly tag: string;
  readonly positives: readonly TrackRow[];
  readonly negatives: readonly TrackRow[];
}

/** "More like this": the nearest tracks by embedding. */
export interface SimilarTracks {
  readonly space: string | null;
  readonly results: ReadonlyArray<{ readonly row: TrackRow; readonly score: number }>;
}

/** What "accept all above X" would do, or did. */
export interface AcceptLearnedResult {
  /** Tracks whose learned score is at or above the chosen minimum (and not judged on the tag). */
  readonly count: number;
  /** After applying: the rows as they are now and the undo state; null for a preview. */
  readonly outcome: ReviewOutcome | null;
}

export const SORT_KEYS = ['title', 'artist', 'album', 'duration', 'status', 'added', 'uncertainty'] as const;
export type SortKey = (typeof SORT_KEYS)[number];


export interface TrackPage {
  readonly total: number;
  readonly offset: number;
  readonly rows: readonly TrackRow[];
}

export interface QueueStatus {
  readonly state: 'idle' | 'running' | 'paused';
  readonly done: number;
  readonly total: number;
  readonly failed: number;
  readonly tracksPerSec: number;
  readonly etaSec: number | null;
  readonly current: readonly string[];
}

export interface ReviewOutcome {
  /** The rows as they are now, durable in the store. */
  readonly tracks: readonly TrackRow[];
  readonly history: HistoryState;
}

export interface HistoryState {
  readonly canUndo: boolean;
  readonly canRedo: boolean;
  readonly undoLabel: string | null;
  readonly redoLabel: string | null;
}

export interface Vocabulary {
  /**
   * Tags of the active model set; `model` is the id of the model that knows the tag and `threshold`
   * the score from which that model gives it.
   */
  readonly model: ReadonlyArray<{ readonly tag: string; readonly category: TagCategory; readonly model?: string; readonly threshold?: number }>;
  /** Tags people added that the model does not know: new vocabulary for retraining. */
  readonly user: readonly string[];
}

export interface AddPathsResult {
  readonly files: number;
  readonly queued: number;
  readonly errors: ReadonlyArray<{ readonly path: string; readonly reason: string }>;
}

/** A ClearML setting and where its value came from (override, env:NAME, file:PATH, derived, default). */
export interface SourcedValue {
  readonly value: string | null;
  readonly source: string;
}

export interface ClearmlSettings {
  readonly apiServer: SourcedValue;
  readonly webServer: SourcedValue;
  readonly filesServer: SourcedValue;
  readonly accessKey: SourcedValue;
  /** Never the secret itself: whether one is set, and from where. */
  readonly secretKey: { readonly set: boolean; readonly source: string };
  /** Whether a secret typed here survives a restart (encrypted by the OS keychain). */
  readonly secretPersistent: boolean;
  readonly project: string;
  readonly datasetName: string;
  readonly includeExcerpts: boolean;
  readonly configFiles: readonly string[];
  readonly warnings: readonly string[];
  readonly configured: boolean;
}

export interface ConnectionCheck {
  readonly ok: boolean;
  /** dns, refused, tls, auth, not-clearml, timeout, ... or "ok". */
  readonly code: string;
  readonly message: string;
}

export interface UploadPreview {
  readonly pending: number;
  readonly tracks: ReadonlyArray<{
    readonly title: string;
    readonly artist: string | null;
    readonly added: readonly string[];
    readonly removed: readonly string[];
    readonly reviewed: boolean;
  }>;
  /** Tags people added that the model does not know. */
  readonly newTags: readonly string[];
}

export interface UploadState {
  readonly running: boolean;
  readonly phase: 'idle' | 'preparing' | 'uploading' | 'registering' | 'finalizing';
  readonly doneBytes: number;
  readonly totalBytes: number;
  readonly last: {
    readonly ok: boolean;
    readonly message: string;
    readonly version: string | null;
    readonly webUrl: string | null;
    readonly at: string;
  } | null;
}

export interface UploadRecord {
  readonly datasetId: string;
  readonly version: string;
  readonly uploadedAt: string;
  readonly corrections: number;
  readonly webUrl: string | null;
}

export interface RegistryModelRow {
  readonly id: string;
  readonly name: string;
  readonly created: string;
  readonly version: string | null;
  readonly tags: readonly string[];
  /** Why it cannot be used, when it cannot. */
  readonly problem: string | null;
  readonly installed: boolean;
  /** The registry's comment on the model (the trainer writes its validation figures there). */
  readonly comment?: string;
}

export interface LocalModelRow {
  /** Folder name in the models cache; "default" for the bundled model. */
  readonly key: string;
  readonly id: string;
  readonly version: string;
  readonly name: string;
  readonly source: string;
  readonly active: boolean;
}

export interface ModelTransfer {
  readonly modelId: string;
  readonly doneBytes: number;
  readonly totalBytes: number;
  readonly done: boolean;
  readonly error: string | null;
}

/** Events from the core to every window. */
export interface EventPayloads {
  /** Tagging queue progress. */
  queue: QueueStatus;
  /**
   * These tracks changed (tags arrived, status, corrections); visible rows should be refetched. An
   * empty list means any track may have changed (a reconnecting transport says so).
   */
  tracksChanged: { readonly ids: readonly number[] };
  /** Tracks or folders were added or removed; counts and pages should be refetched. */
  libraryChanged: { readonly folders: readonly FolderRow[] };
  /** Something the user should know about (a failed scan, a finished import). */
  notice: { readonly level: 'info' | 'error'; readonly message: string };
  /** A menu item of the desktop app was chosen; the window runs the same action as its shortcut. */
  command: { readonly name: MenuCommand };
  /** Progress and result of a corrections upload. */
  upload: UploadState;
  /** Progress of a model download. */
  modelTransfer: ModelTransfer;
  /** The active model or provider changed. */
  appInfo: AppInfo;
  /** Progress of writing tags into music files (or undoing a write). */
  fileTags: TagWriteStatus;
  /** On-device learning started or finished a refit. */
  learning: LearningStatus;
}

export type MenuCommand = 'add-folder' | 'undo' | 'redo' | 'help' | 'toggle-review-queue' | 'search' | 'write-tags' | 'learned-tags';

export type EventName = keyof EventPayloads;
export const EVENT_NAMES: readonly EventName[] = [
  'queue',
  'tracksChanged',
  'libraryChanged',
  'notice',
  'command',
  'upload',
  'modelTransfer',
  'appInfo',
  'fileTags',
  'learning',
];

/** Every request of the contract, in one list (the preload exposes one function per name). */
export const REQUEST_NAMES = [
  'appInfo',
  'listFolders',
  'addFolder',
  'removeFolder',
  'addPaths',
  'rescan',
  'queryTracks',
  'trackIds',
  'reviewQueue',
  'getTrack',
  'label',
  'setReviewed',
  'setMusic',
  'undo',
  'redo',
  'history',
  'vocabulary',
  'queueStatus',
  'pauseQueue',
  'resumeQueue',
  'cancelQueue',
  'retryUntagged',
  'clearmlSettings',
  'saveClearmlSettings',
  'testClearmlConnection',
  'uploadPreview',
  'startUpload',
  'cancelUpload',
  'uploadState',
  'uploadHistory',
  'listRegistryModels',
  'pullModel',
  'listLocalModels',
  'useModel',
  'fileTagSettings',
  'saveFileTagSettings',
  'trackFileTags',
  'previewTagWrite',
  'startTagWrite',
  'pauseTagWrite',
  'resumeTagWrite',
  'cancelTagWrite',
  'tagWriteStatus',
  'tagWriteHistory',
  'undoTagWrite',
  'labelFromFile',
  'learnedTags',
  'learnedTagExamples',
  'setLearnedTagEnabled',
  'renameTag',
  'acceptLearned',
  'similarTracks',
  'learnNow',
  'rescanFolder',
  'selectionSummary',
] as const;

export type RequestName = (typeof REQUEST_NAMES)[number];

/** IPC channel names carry the app's prefix. */
export const requestChannel = (name: RequestName): string => `eno:request:${name}`;
export const eventChannel = (name: EventName): string => `eno:event:${name}`;
export const CHOOSE_FOLDER_CHANNEL = 'eno:choose-folder';

/** The URL path of a track's audio, served only for tracks in the library. */
export const mediaPath = (trackId: number): string => `track/${trackId}`;

/** The URL path of a track's embedded cover picture (204 No Content when it has none). */
export const coverPath = (trackId: number): string => `cover/${trackId}`;
