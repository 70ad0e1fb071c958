// Tags a list of files with a bounded number in flight. Used by `eno tag`, the library queue and
// the benchmark, so they all measure and behave the same.
import { cpus } from 'node:os';
import type { TaggingEngine } from '../inference/engine';
import { tagFile, type TagOutcome } from './tag-file';

export interface BatchOptions {
  /** Tracks in flight at once; default: the number of CPU cores. */
  readonly concurrency?: number;
  /** Once aborted, no new track starts; tracks in flight finish. */
  readonly stop?: AbortSignal;
  /** Once aborted, tracks in flight are cancelled too (they produce no outcome). */
  readonly cancel?: AbortSignal;
  readonly peaksPerSecond?: number;
  /** Called once per finished track, in completion order. */
  readonly onOutcome: (outcome: TagOutcome, index: number) => void;
}

export interface BatchSummary {
  readonly finished: number;
  readonly cancelled: number;
  readonly notStarted: number;
}

/** Runs the batch; resolves when every started track has finished or been cancelled. */
export async function tagFiles(engine: TaggingEngine, files: readonly string[], options: BatchOptions): Promise<BatchSummary> {
  const concurrency = Math.max(1, options.concurrency ?? cpus().length);
  let next = 0;
  let finished = 0;
  let cancelled = 0;
  const worker = async (): Promise<void> => {
    while (!options.stop?.aborted && !options.cancel?.aborted && next < files.length) {
      const index = next++;
      const outcome = await tagFile(engine, files[index]!, { signal: options.cancel, peaksPerSecond: options.peaksPerSecond });
      if (outcome.status === 'error' && options.cancel?.aborted) {
        cancelled++;
        continue;
      }
      finished++;
      options.onOutcome(outcome, index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, files.length) }, worker));
  return { finished, cancelled, notStarted: files.length - next };
}
