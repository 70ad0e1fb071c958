// The one typed list of everything the UI may ask the core and everything it may hear from it.
// Requests: name -> argument (zod schema, validated by whoever receives it) -> result type.
// Events: name -> payload. Plain serialisable data only: no classes, no Dates (ISO strings), no
// Buffers. Electron IPC and browser mode (HTTP + WebSocket) carry exactly this contract.
import { z } from 'zod';

/** Errors cross the boundary as values: only the message survives serialisation anyway. */
export type Result<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: ErrorInfo };

export interface ErrorInfo {
  /** Machine-readable: invalid-argument, not-found, forbidden, unavailable, failed. */
  readonly code: string;
  readonly message: string;
}

export const TAG_CATEGORIES = ['genre', 'descriptor', 'era', 'vocal', 'instrument', 'other'] as const;
export type TagCategory = (typeof TAG_CATEGORIES)[number];

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

const trackQuerySchema = z.object({
  search: z.string().max(200).default(''),
  statuses: z.array(z.enum(TRACK_STATUSES)).max(TRACK_STATUSES.length).default([]),
  tag: z.string().max(100).nullable().default(null),
  /** With `tag`: only tracks whose score for it is at least this. */
  minConfidence: z.number().min(0).max(1).default(0),
  sort: z.enum(SORT_KEYS).default('added'),
  descending: z.boolean().default(false),
});

export type TrackQuery = z.input<typeof trackQuerySchema>;

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

const optionalSetting = z.string().trim().max(2048).nullable().optional();

const ids = z.array(z.number().int().positive()).min(1).max(100_000);
const tagName = z
  .string()
  .trim()
  .min(1, 'a tag needs a name')
  .max(64, 'tags are at most 64 characters')
  .refine((t) => !/[\n\r\t]/.test(t), 'tags are one line');

/** Requests: the zod schema of each argument. Every handler validates with it before use. */
export const requestSchemas = {
  /** Versions, data folder and the active model; called at start. */
  appInfo: z.void(),
  listFolders: z.void(),
  /** Adds a folder to the library and scans it in the background. */
  addFolder: z.object({ path: z.string().min(1).max(4096) }),
  removeFolder: z.object({ id: z.number().int().positive() }),
  /** Files and folders dropped on the window: added and tagged before anything else. */
  addPaths: z.object({ paths: z.array(z.string().min(1).max(4096)).min(1).max(10_000) }),
  rescan: z.void(),
  /** One page of the library table. */
  queryTracks: trackQuerySchema.extend({
    offset: z.number().int().min(0),
    limit: z.number().int().min(1).max(1000),
  }),
  /** Every track id matching a query, in order (selection and next/previous navigation). */
  trackIds: trackQuerySchema,
  /** Track ids ordered by model uncertainty (scores nearest their threshold first), unreviewed only. */
  reviewQueue: z.object({ limit: z.number().int().min(1).max(100_000) }),
  getTrack: z.object({ id: z.number().int().positive() }),
  /** Accept or reject a predicted tag, add a tag, or clear a correction, on one or many tracks. */
  label: z.object({ trackIds: ids, action: z.enum(['accept', 'reject', 'add', 'clear']), tag: tagName }),
  /** Marks tracks reviewed (or not). */
  setReviewed: z.object({ trackIds: ids, reviewed: z.boolean() }),
  undo: z.void(),
  redo: z.void(),
  history: z.void(),
  vocabulary: z.void(),
  queueStatus: z.void(),
  pauseQueue: z.void(),
  resumeQueue: z.void(),
  cancelQueue: z.void(),
  /** Queues every untagged or failed track again. */
  retryUntagged: z.void(),
  /** The resolved ClearML configuration and where each value comes from. */
  clearmlSettings: z.void(),
  /** Overrides ClearML settings in the app (null removes an override). */
  saveClearmlSettings: z.object({
    apiServer: optionalSetting,
    webServer: optionalSetting,
    filesServer: optionalSetting,
    accessKey: optionalSetting,
    secretKey: optionalSetting,
    project: z.string().trim().min(1).max(200).optional(),
    datasetName: z.string().trim().min(1).max(200).optional(),
    includeExcerpts: z.boolean().optional(),
  }),
  /** Logs in to the API server and says what failed, if anything. */
  testClearmlConnection: z.void(),
  /** What the next upload would send. */
  uploadPreview: z.void(),
  /** Starts uploading the pending corrections as a new dataset version (progress as `upload` events). */
  startUpload: z.void(),
  uploadState: z.void(),
  uploadHistory: z.void(),
  /** Published ONNX models tagged "eno" in the ClearML registry, newest first. */
  listRegistryModels: z.void(),
  /** Downloads a registry model into the models cache (progress as `modelTransfer` events). */
  pullModel: z.object({ modelId: z.string().min(1).max(200) }),
  listLocalModels: z.void(),
  /** Makes a model the active one and re-tags the library with it in the background. */
  useModel: z.object({ key: z.string().min(1).max(300) }),
} as const;

export interface RequestResults {
  appInfo: AppInfo;
  listFolders: readonly FolderRow[];
  addFolder: FolderRow;
  removeFolder: null;
  addPaths: AddPathsResult;
  rescan: null;
  queryTracks: TrackPage;
  trackIds: readonly number[];
  reviewQueue: readonly number[];
  getTrack: TrackDetail;
  label: ReviewOutcome;
  setReviewed: ReviewOutcome;
  undo: ReviewOutcome;
  redo: ReviewOutcome;
  history: HistoryState;
  vocabulary: Vocabulary;
  queueStatus: QueueStatus;
  pauseQueue: QueueStatus;
  resumeQueue: QueueStatus;
  cancelQueue: QueueStatus;
  retryUntagged: QueueStatus;
  clearmlSettings: ClearmlSettings;
  saveClearmlSettings: ClearmlSettings;
  testClearmlConnection: ConnectionCheck;
  uploadPreview: UploadPreview;
  startUpload: UploadState;
  uploadState: UploadState;
  uploadHistory: readonly UploadRecord[];
  listRegistryModels: readonly RegistryModelRow[];
  pullModel: LocalModelRow;
  listLocalModels: readonly LocalModelRow[];
  useModel: AppInfo;
}

export type RequestName = keyof typeof requestSchemas;
export type RequestArg<N extends RequestName> = z.input<(typeof requestSchemas)[N]>;
export type ParsedArg<N extends RequestName> = z.output<(typeof requestSchemas)[N]>;
export type RequestResult<N extends RequestName> = RequestResults[N];

/** Events from the core to every window. */
export interface EventPayloads {
  /** Tagging queue progress. */
  queue: QueueStatus;
  /** These tracks changed (tags arrived, status, corrections); visible rows should be refetched. */
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

/** The request half of the API: one async function per request. */
export type RequestApi = {
  readonly [N in RequestName]: (arg: RequestArg<N>) => Promise<Result<RequestResult<N>>>;
};

/** What the preload exposes on window.eno in the Electron window. */
export type EnoApi = RequestApi & {
  on<E extends EventName>(event: E, listener: (payload: EventPayloads[E]) => void): () => void;
  /** The local path of a file dropped on the window (Electron only). */
  pathForFile(file: File): string;
  /** Opens the native folder dialog; resolves to the chosen folder or null. */
  chooseFolder(): Promise<string | null>;
};

/** IPC channel names carry the app's prefix. */
export const requestChannel = (name: RequestName): string => `eno:request:${name}`;
export const eventChannel = (name: EventName): string => `eno:event:${name}`;
export const CHOOSE_FOLDER_CHANNEL = 'eno:choose-folder';

/** The URL path of a track's audio, served only for tracks in the library. */
export const mediaPath = (trackId: number): string => `track/${trackId}`;
