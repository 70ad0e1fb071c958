// Uploads review corrections as a new version of a ClearML dataset, written the way the SDK writes
// one so `Dataset.get(...).get_local_copy()` on the training box sees every label ever uploaded.
// The version's parent is the newest final version; unfinished versions are resumed, waited for or
// archived (upload-drafts.ts), so the newest version Dataset.get finds is always a final one; a
// draft the server stops or archives mid-upload is replaced by a fresh one; the ledger records which
// corrections are in which version, only once the server holds it final.
import type { ClearmlClient } from './client';
import type { CorrectionForUpload } from './dataset-files';
import { archiveVersions } from './dataset-server';
import { asResult, ClearmlError, type Result } from './errors';
import type { UploadLedger } from './ledger';
import { DraftLostError, LIVE_DRAFT_MS, settleLedgerDraft, type OpenDraft, type UploadScope } from './upload-drafts';
import { uploadVersion, type UploadProgress } from './upload-version';

export type { CorrectionForUpload } from './dataset-files';
export type { UploadProgress } from './upload-version';

export interface UploadCorrectionsOptions {
  readonly ledger: UploadLedger;
  readonly appVersion: string;
  /** Where staging files and zips are written (removed afterwards). */
  readonly workDir: string;
  readonly project?: string;
  readonly datasetName?: string;
  /** Add a 30 s, 16 kHz excerpt of each corrected track (off by default: audio is large and personal). */
  readonly includeExcerpts?: boolean;
  readonly excerptSeconds?: number;
  /** Largest uncompressed size of one zip chunk; default 512 MiB, as the SDK. */
  readonly chunkSizeBytes?: number;
  /** How often the draft is pinged during an upload; default one minute (the server stops tasks silent for 2 hours). */
  readonly pingIntervalMs?: number;
  /** Another installation's running draft without a ping for this long is dead and archived; default 30 minutes. */
  readonly liveDraftMs?: number;
  readonly signal?: AbortSignal;
  readonly onProgress?: (progress: UploadProgress) => void;
}

export type UploadOutcome =
  | { readonly status: 'nothing-to-upload' }
  | {
      readonly status: 'uploaded';
      readonly datasetId: string;
      readonly version: string;
      readonly parentId: string | null;
      readonly keys: readonly string[];
      readonly files: readonly string[];
      readonly resumed: boolean;
      readonly archivedDrafts: readonly string[];
      readonly warnings: readonly string[];
    };

export const DEFAULT_PROJECT = 'eno';
export const DEFAULT_DATASET = 'corrections';

/** Fresh drafts one upload starts at most when the server keeps taking them away. */
const MAX_DRAFTS = 3;

/**
 * The corrections waiting for upload, read when the upload starts: after a draft that finished last
 * time has been recorded as final, so its corrections are no longer among them.
 */
export type PendingCorrections = () => readonly CorrectionForUpload[];

/** Uploads the pending corrections as one new dataset version. */
export async function uploadCorrections(
  client: ClearmlClient,
  pendingCorrections: PendingCorrections,
  options: UploadCorrectionsOptions,
): Promise<Result<UploadOutcome>> {
  return asResult(async () => {
    const uploaderId = options.ledger.uploaderId();
    const scope: UploadScope = {
      client,
      ledger: options.ledger,
      project: options.project ?? DEFAULT_PROJECT,
      name: options.datasetName ?? DEFAULT_DATASET,
      marker: `uploader ${uploaderId}`,
      liveDraftMs: options.liveDraftMs ?? LIVE_DRAFT_MS,
      signal: options.signal,
    };
    const settled = await settleLedgerDraft(scope);
    const pending = [...new Map(pendingCorrections().map((c) => [c.key, c])).values()];
    if (pending.length === 0) return { status: 'nothing-to-upload' } as const;
    options.onProgress?.({ phase: 'preparing' });
    const job = {
      pending,
      appVersion: options.appVersion,
      uploaderId,
      workDir: options.workDir,
      includeExcerpts: options.includeExcerpts ?? false,
      excerptSeconds: options.excerptSeconds,
      chunkSizeBytes: options.chunkSizeBytes ?? 512 * 1024 * 1024,
      pingIntervalMs: options.pingIntervalMs ?? 60 * 1000,
      onProgress: options.onProgress,
    };
    const archived = [...settled.archived];
    let open: OpenDraft | undefined = settled.open;
    for (let attempt = 1; ; attempt++) {
      try {
        const outcome = await uploadVersion(scope, job, open);
        return { status: 'uploaded', ...outcome, archivedDrafts: [...archived, ...outcome.archivedDrafts] } as const;
      } catch (error) {
        if (!(error instanceof DraftLostError) || options.signal?.aborted) throw error;
        // The server stopped it (a long sleep, a lost connection) or someone archived it: put it
        // out of Dataset.get's sight; its corrections stay pending and go into a fresh draft.
        await archiveVersions(client, [error.datasetId], options.signal).then(
          () => archived.push(error.datasetId),
          () => undefined, // gone, or unreachable: the next upload's draft handling archives it
        );
        options.ledger.abandonDraft(error.datasetId);
        open = undefined;
        if (attempt >= MAX_DRAFTS) {
          throw new ClearmlError('conflict', `The ClearML server took away ${attempt} drafts of this upload in a row (the last one, ${error.datasetId}, was ${error.reason}); try again later.`);
        }
      }
    }
  }, options.signal);
}
