// Messages between the learning service (main thread) and the learning worker.
import type { RefitReport } from './learner';
import type { Neighbour } from './similar';

/** What the worker is started with. */
export interface LearnWorkerInit {
  readonly dataDir: string;
}

/** Main thread to worker. */
export type ToLearnWorker =
  | { readonly type: 'refit'; readonly id: number }
  | { readonly type: 'similar'; readonly id: number; readonly trackId?: number; readonly embedding?: readonly number[]; readonly limit: number }
  | { readonly type: 'close' };

/** Worker to main thread. */
export type FromLearnWorker =
  | { readonly type: 'refitting'; readonly tag: string }
  | { readonly type: 'refitted'; readonly id: number; readonly report: RefitReport }
  | { readonly type: 'similar'; readonly id: number; readonly space: string | null; readonly neighbours: readonly Neighbour[] }
  | { readonly type: 'failed'; readonly id: number; readonly message: string };
