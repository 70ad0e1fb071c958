// The unfinished versions of a dataset, as a real ClearML server leaves them. The server stops any
// running task nobody pinged for two hours (its non-responsive tasks watchdog), the SDK's
// Dataset.get reopens a stopped newest version and picks the highest version whatever its status,
// and archived versions are the only ones it skips. So: a version is final only when it completed
// with our finishing steps (or is published) and has its state; our stopped draft is resumed or
// archived; another installation's draft is waited for while it is alive (pinged recently, by the
// server's clock) and archived once dead; and a draft carries its version number only from its
// finishing steps on, so Dataset.get never takes an unfinished one for the newest.
import type { ClearmlClient } from './client';
import { archiveVersions, getVersion, type VersionInfo } from './dataset-server';
import { ClearmlError } from './errors';
import type { DraftRecord, UploadLedger } from './ledger';
import { compareVersions, isValidVersion, nextVersion } from './version';

/** Statuses a finished version has (the SDK's `is_final` also counts stopped and closed: see above). */
export const FINAL_STATUSES: ReadonlySet<string> = new Set(['completed', 'published']);
/** Statuses of a version someone started and did not finish: these are resumed, waited for or archived. */
const DRAFT_STATUSES: ReadonlySet<string> = new Set(['created', 'queued', 'in_progress', 'stopped', 'failed']);
/** Statuses a draft can be taken up again from (stopped -> in_progress is allowed, as the SDK does when it reopens one). */
const RESUMABLE_STATUSES: ReadonlySet<string> = new Set(['created', 'in_progress', 'stopped']);
/** Statuses of an upload that may still be running; a stopped or failed draft is dead whenever it was last seen. */
const LIVE_STATUSES: ReadonlySet<string> = new Set(['created', 'queued', 'in_progress']);

/** How long another installation's running draft counts as alive without a ping (eno pings every minute, older versions every ten, the SDK every 30 s). */
export const LIVE_DRAFT_MS = 30 * 60 * 1000;

/** A draft's task was stopped or archived under us (or vanished): the upload goes on in a fresh one. */
export class DraftLostError extends Error {
  constructor(
    readonly datasetId: string,
    readonly reason: string,
  ) {
    super(`The draft version ${datasetId} was ${reason}.`);
    this.name = 'DraftLostError';
  }
}

/** The server's answers meaning the task cannot take this change any more (invalid task id or status). */
const LOST_SUBCODES = new Set([101, 110, 111, 112, 113, 121]);

/** Turns a refused call on the draft's task into DraftLostError; other errors pass through. */
export function asDraftLost(error: unknown, datasetId: string): unknown {
  if (error instanceof ClearmlError && error.code === 'api' && error.httpStatus === 400 && error.subcode !== undefined && LOST_SUBCODES.has(error.subcode)) {
    return new DraftLostError(datasetId, `refused by the server (${error.message.replace(/^ClearML refused /, '')})`);
  }
  return error;
}

/** True for a version a new one can build on: finished, with its state. */
export function isFinal(version: VersionInfo): boolean {
  return FINAL_STATUSES.has(version.status) && version.artifacts.some((a) => a.key === 'state');
}

/** True for one of our drafts that went through every finishing step (its version number is the last edit before completion). */
function finishedAsOurs(version: VersionInfo, draft: DraftRecord): boolean {
  return isFinal(version) && version.version === draft.version;
}

export interface UploadScope {
  readonly client: ClearmlClient;
  readonly ledger: UploadLedger;
  readonly project: string;
  readonly name: string;
  /** Written into the comment of our drafts, so a lost ledger still recognises them. */
  readonly marker: string;
  readonly liveDraftMs: number;
  readonly signal?: AbortSignal;
}

/** The ledger's open draft as the server has it now. */
export interface OpenDraft {
  readonly draft: DraftRecord;
  readonly info: VersionInfo;
}

/**
 * Settles the draft the ledger has open: final (a finished last time the ledger was not told of),
 * gone, completed without our finishing steps (archived, its corrections stay pending), or still
 * open. Returns the open one, and the ids it archived.
 */
export async function settleLedgerDraft(scope: UploadScope): Promise<{ open: OpenDraft | undefined; archived: string[] }> {
  const draft = scope.ledger.openDraft(scope.project, scope.name);
  if (!draft) return { open: undefined, archived: [] };
  const info = await getVersion(scope.client, draft.datasetId, scope.signal);
  if (!info || info.archived) {
    scope.ledger.abandonDraft(draft.datasetId);
    return { open: undefined, archived: [] };
  }
  if (finishedAsOurs(info, draft)) {
    scope.ledger.finalizeDraft(draft.datasetId);
    return { open: undefined, archived: [] };
  }
  if (!DRAFT_STATUSES.has(info.status)) {
    await archiveVersions(scope.client, [draft.datasetId], scope.signal);
    scope.ledger.abandonDraft(draft.datasetId);
    return { open: undefined, archived: [draft.datasetId] };
  }
  return { open: { draft, info }, archived: [] };
}

function isOurs(scope: UploadScope, version: VersionInfo): boolean {
  return scope.ledger.knowsDraft(version.id) || version.comment.includes(scope.marker);
}

function minutesSince(scope: UploadScope, isoTime: string): number {
  const then = Date.parse(isoTime);
  return Number.isFinite(then) ? Math.max(0, (scope.client.serverNow() - then) / 60_000) : Number.POSITIVE_INFINITY;
}

/**
 * Decides for every unfinished version: resume our open draft (same parent, resumable), archive our
 * other drafts and dead ones of others, or refuse while another installation's upload is alive.
 */
export async function handleDrafts(scope: UploadScope, versions: readonly VersionInfo[], open: OpenDraft | undefined, parentId: string | null) {
  let resume: VersionInfo | undefined;
  const archive: string[] = [];
  for (const d of versions.filter((v) => DRAFT_STATUSES.has(v.status))) {
    if (open && d.id === open.draft.datasetId && open.draft.parentId === parentId && RESUMABLE_STATUSES.has(d.status)) {
      resume = d;
      continue;
    }
    const idleMinutes = minutesSince(scope, d.lastUpdate);
    if (!isOurs(scope, d) && LIVE_STATUSES.has(d.status) && idleMinutes * 60_000 < scope.liveDraftMs) {
      throw new ClearmlError(
        'conflict',
        `Another upload to dataset ${scope.project}/${scope.name} is in progress (task ${d.id}, last active ${Math.floor(idleMinutes)} min ago); try again when it has finished.`,
      );
    }
    archive.push(d.id);
  }
  await archiveVersions(scope.client, archive, scope.signal);
  for (const id of archive) if (scope.ledger.knowsDraft(id)) scope.ledger.abandonDraft(id);
  if (open && !resume && !archive.includes(open.draft.datasetId)) scope.ledger.abandonDraft(open.draft.datasetId);
  return { resume, archived: archive };
}

/** The version number after every version still visible, so the new one is the highest Dataset.get sees. */
export function versionAfter(versions: ReadonlyArray<{ readonly version: string | null }>): string {
  let highest: string | null = null;
  for (const v of versions) if (isValidVersion(v.version) && (highest === null || compareVersions(v.version, highest) > 0)) highest = v.version;
  return nextVersion(highest);
}
