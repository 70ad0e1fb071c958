// Writing tags into files, as the window sees it: the running batch's progress (from `fileTags`
// events), and actions that start, pause, cancel and undo writes.
import { create } from 'zustand';
import type { RequestArg, TagWriteStatus } from '../../../../src-preload/contract';

/** Which files a write covers, as the request takes it. */
export type WriteScope = RequestArg<'startTagWrite'>['scope'];
import { call, onEvent } from '../../api/api';
import { notify } from '../../state/notice-store';

interface FileTagsState {
  readonly status: TagWriteStatus | null;
  /** Bumped on every event, so views of one track refetch after a write that touched it. */
  readonly revision: number;
}

export const useFileTags = create<FileTagsState>(() => ({ status: null, revision: 0 }));

/** Keeps the progress current; returns the unsubscribe function. */
export function followFileTags(): () => void {
  void call('tagWriteStatus', undefined)
    .then((status) => useFileTags.setState({ status }))
    .catch(() => undefined);
  return onEvent('fileTags', (status) => useFileTags.setState((s) => ({ status, revision: s.revision + 1 })));
}

async function run(request: Promise<TagWriteStatus>): Promise<boolean> {
  try {
    const status = await request;
    useFileTags.setState((s) => ({ status, revision: s.revision + 1 }));
    return true;
  } catch (error) {
    notify('error', (error as Error).message);
    return false;
  }
}

/** Starts writing tags into the files of a scope. */
export function startWrite(scope: WriteScope): Promise<boolean> {
  return run(call('startTagWrite', { scope }));
}

/** Undoes the last write of these tracks' files. */
export function undoTracks(trackIds: number[]): Promise<boolean> {
  return run(call('undoTagWrite', { trackIds }));
}

/** Undoes a whole batch. */
export function undoBatch(batchId: number): Promise<boolean> {
  return run(call('undoTagWrite', { batchId }));
}

export const pauseWrite = (): Promise<boolean> => run(call('pauseTagWrite', undefined));
export const resumeWrite = (): Promise<boolean> => run(call('resumeTagWrite', undefined));
export const cancelWrite = (): Promise<boolean> => run(call('cancelTagWrite', undefined));

/** "3 of 10 files" with rate and time left, for progress lines. */
export function progressText(s: TagWriteStatus): string {
  const rate = s.filesPerSec > 0 ? ` · ${s.filesPerSec.toFixed(1)} files/s` : '';
  const eta = s.etaSec !== null ? ` · ${s.etaSec} s left` : '';
  const failed = s.failed ? ` · ${s.failed} failed` : '';
  return `${s.done} of ${s.total} files${rate}${eta}${failed}`;
}
