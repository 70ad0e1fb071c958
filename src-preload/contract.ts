// The one typed list of everything the UI may ask the core and everything it may hear from it.
// Requests: name -> argument (zod schema, validated by whoever receives it) -> result type.
// Events: name -> payload. The data shapes, names and channels live in contract-data.ts (free of
// zod, for the preload); Electron IPC and browser mode (HTTP + WebSocket) carry exactly this.
import { z } from 'zod';
import {
  SORT_KEYS,
  TRACK_STATUSES,
  type AcceptLearnedResult,
  type AddFolderResult,
  type AddPathsResult,
  type AppInfo,
  type ClearmlSettings,
  type ConnectionCheck,
  type EventName,
  type EventPayloads,
  type FolderRow,
  type HistoryState,
  type LearnedTagExamples,
  type LearnedTagsView,
  type LocalModelRow,
  type QueueStatus,
  type RegistryModelRow,
  type RequestName,
  type Result,
  type ReviewOutcome,
  type SimilarTracks,
  type SelectionSummary,
  type TrackDetail,
  type TrackPage,
  type UploadPreview,
  type UploadRecord,
  type UploadState,
  type Vocabulary,
  type FileTagSettings,
  type TagWriteBatchRow,
  type TagWritePreview,
  type TagWriteStatus,
  type TrackFileTags,
  TAG_TARGET_KEYS,
} from './contract-data';

export * from './contract-data';

const trackQuerySchema = z.object({
  search: z.string().max(200).default(''),
  statuses: z.array(z.enum(TRACK_STATUSES)).max(TRACK_STATUSES.length).default([]),
  tag: z.string().max(100).nullable().default(null),
  /** With `tag`: only tracks whose score for it is at least this. */
  minConfidence: z.number().min(0).max(1).default(0),
  sort: z.enum(SORT_KEYS).default('added'),
  descending: z.boolean().default(false),
  /** Only the review queue: unreviewed tagged tracks, and reviewed ones a new model changed. */
  toReview: z.boolean().default(false),
  /** Only tracks a learned tag suggests (score at or above its threshold, and minConfidence). */
  learnedTag: z.string().max(100).nullable().optional(),
});

export type TrackQuery = z.input<typeof trackQuerySchema>;

const optionalSetting = z.string().trim().max(2048).nullable().optional();

const ids = z.array(z.number().int().positive()).min(1).max(100_000);
const tagName = z
  .string()
  .trim()
  .min(1, 'a tag needs a name')
  .max(64, 'tags are at most 64 characters')
  .refine((t) => !/[\n\r\t]/.test(t), 'tags are one line');

const tagTarget = z.enum(['genre', 'mood', 'none']);
const tagWriteScope = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('tracks'), trackIds: ids }),
  z.object({ kind: z.literal('folder'), folderId: z.number().int().positive() }),
  z.object({ kind: z.literal('library') }),
]);

/** Requests: the zod schema of each argument. Every handler validates with it before use. */
export const requestSchemas = {
  /** Versions, data folder and the active model; called at start. */
  appInfo: z.void(),
  listFolders: z.void(),
  /** Adds a folder (a full path; ~ is the home folder) and scans it in the background; one already in the library is rescanned. */
  addFolder: z.object({ path: z.string().min(1).max(4096) }),
  /** Removes a folder; tracks a person corrected stay in the store for upload unless `forgetCorrections`. */
  removeFolder: z.object({ id: z.number().int().positive(), forgetCorrections: z.boolean().default(false) }),
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
  /** Says tracks judged not music are music after all (true), or follows the model again (false). */
  setMusic: z.object({ trackIds: ids, music: z.boolean() }),
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
  /** Stops the running upload; the next one resumes it. */
  cancelUpload: z.void(),
  uploadState: z.void(),
  uploadHistory: z.void(),
  /** Published ONNX models tagged "eno" in the ClearML registry, newest first. */
  listRegistryModels: z.void(),
  /** Downloads a registry model into the models cache (progress as `modelTransfer` events). */
  pullModel: z.object({ modelId: z.string().min(1).max(200) }),
  listLocalModels: z.void(),
  /**
   * Chooses the model set: `key` makes a model the active one, `audioset` puts the AudioSet model
   * (EfficientAT mn04) beside it or takes it out (either or both); the library is re-tagged with
   * the new set in the background.
   */
  useModel: z
    .object({ key: z.string().min(1).max(300).optional(), audioset: z.boolean().optional() })
    .refine((a) => a.key !== undefined || a.audioset !== undefined, 'give a model key, the AudioSet choice, or both'),
  /** How tags are written into music files. */
  fileTagSettings: z.void(),
  saveFileTagSettings: z.object({
    targets: z.partialRecord(z.enum(TAG_TARGET_KEYS), tagTarget).optional(),
    maxPerField: z.number().int().min(1).max(50).optional(),
    minConfidence: z.number().min(0).max(1).optional(),
    existing: z.enum(['keep', 'merge', 'replace']).optional(),
    capitalisation: z.enum(['title', 'lower', 'as-is']).optional(),
    multiValue: z.enum(['separate', 'joined']).optional(),
    separator: z.string().min(1).max(5).optional(),
    writeOnReview: z.boolean().optional(),
  }),
  /** What a track's file says, what eno would write into it, and how its last write went. */
  trackFileTags: z.object({ id: z.number().int().positive() }),
  /** How many files a write would touch, which fields change, and a sample of the changes. */
  previewTagWrite: z.object({ scope: tagWriteScope }),
  /** Writes tags into the files of a selection, a folder or the library (progress as `fileTags` events). */
  startTagWrite: z.object({ scope: tagWriteScope }),
  pauseTagWrite: z.void(),
  resumeTagWrite: z.void(),
  /** Stops writing; what was written stays written (and can be undone). */
  cancelTagWrite: z.void(),
  tagWriteStatus: z.void(),
  tagWriteHistory: z.void(),
  /** Puts files back as they were before eno wrote them: the files of these tracks, or of a batch. */
  undoTagWrite: z.union([z.object({ trackIds: ids }), z.object({ batchId: z.number().int().positive() })]),
  /** Turns the genre and mood values of the tracks' files into labels (marked as from the file). */
  labelFromFile: z.object({ trackIds: ids, values: z.array(tagName).max(100).optional() }),
  /** Every learned tag with its examples counts, cross-validated figures and suggestions. */
  learnedTags: z.void(),
  /** The tracks a learned tag was fitted on (at most `limit` of each kind). */
  learnedTagExamples: z.object({ tag: tagName, limit: z.number().int().min(1).max(1000).default(100) }),
  /** Switches a learned tag off (no suggestions, no fit) or on again. */
  setLearnedTagEnabled: z.object({ tag: tagName, enabled: z.boolean() }),
  /** Renames a tag people added, or merges it into another tag (moves its labels; undoable). */
  renameTag: z.object({ from: tagName, to: tagName }),
  /** "Accept all above X": previews (apply false) or accepts a learned tag on every track it scores at or above minScore. */
  acceptLearned: z.object({ tag: tagName, minScore: z.number().min(0).max(1), apply: z.boolean() }),
  /** "More like this": the tracks nearest to a track by embedding. */
  similarTracks: z.object({ trackId: z.number().int().positive(), limit: z.number().int().min(1).max(500).default(50) }),
  /** Refits learned tags now and resolves when done. */
  learnNow: z.void(),
  /** Rescans one library folder in the background. */
  rescanFolder: z.object({ id: z.number().int().positive() }),
  /** What the selected tracks share: how many carry each final tag, how many are reviewed or edited. */
  selectionSummary: z.object({ trackIds: ids }),
} as const satisfies Record<RequestName, z.ZodType>;

export interface RequestResults {
  appInfo: AppInfo;
  listFolders: readonly FolderRow[];
  addFolder: AddFolderResult;
  removeFolder: null;
  addPaths: AddPathsResult;
  rescan: null;
  queryTracks: TrackPage;
  trackIds: readonly number[];
  reviewQueue: readonly number[];
  getTrack: TrackDetail;
  label: ReviewOutcome;
  setReviewed: ReviewOutcome;
  setMusic: ReviewOutcome;
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
  cancelUpload: UploadState;
  uploadState: UploadState;
  uploadHistory: readonly UploadRecord[];
  listRegistryModels: readonly RegistryModelRow[];
  pullModel: LocalModelRow;
  listLocalModels: readonly LocalModelRow[];
  useModel: AppInfo;
  fileTagSettings: FileTagSettings;
  saveFileTagSettings: FileTagSettings;
  trackFileTags: TrackFileTags;
  previewTagWrite: TagWritePreview;
  startTagWrite: TagWriteStatus;
  pauseTagWrite: TagWriteStatus;
  resumeTagWrite: TagWriteStatus;
  cancelTagWrite: TagWriteStatus;
  tagWriteStatus: TagWriteStatus;
  tagWriteHistory: readonly TagWriteBatchRow[];
  undoTagWrite: TagWriteStatus;
  labelFromFile: ReviewOutcome;
  learnedTags: LearnedTagsView;
  learnedTagExamples: LearnedTagExamples;
  setLearnedTagEnabled: LearnedTagsView;
  renameTag: ReviewOutcome;
  acceptLearned: AcceptLearnedResult;
  similarTracks: SimilarTracks;
  learnNow: LearnedTagsView;
  rescanFolder: null;
  selectionSummary: SelectionSummary;
}

export type RequestArg<N extends RequestName> = z.input<(typeof requestSchemas)[N]>;
export type ParsedArg<N extends RequestName> = z.output<(typeof requestSchemas)[N]>;
export type RequestResult<N extends RequestName> = RequestResults[N];

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
