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

export const TRACK_STATUSES = ['untagged', 'queued', 'tagging', 'tagged', 'error', 'reviewed'] as const;
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
}

export interface TagScore {
  readonly tag: string;
  readonly score: number;
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
}

export interface FolderRow {
  readonly id: number;
  readonly path: string;
  readonly tracks: number;
  readonly scanning: boolean;
}

export interface PredictedTag {
  readonly tag: string;
  readonly category: TagCategory;
  readonly score: number;
  readonly threshold: number;
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
  readonly reviewedAt: string | null;
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
  readonly model: ReadonlyArray<{ readonly tag: string; readonly category: TagCategory }>;
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
}

export type MenuCommand = 'add-folder' | 'undo' | 'redo' | 'help' | 'toggle-review-queue' | 'search';

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
] as const;

export type RequestName = (typeof REQUEST_NAMES)[number];

/** IPC channel names carry the app's prefix. */
export const requestChannel = (name: RequestName): string => `eno:request:${name}`;
export const eventChannel = (name: EventName): string => `eno:event:${name}`;
export const CHOOSE_FOLDER_CHANNEL = 'eno:choose-folder';

/** The URL path of a track's audio, served only for tracks in the library. */
export const mediaPath = (trackId: number): string => `track/${trackId}`;
