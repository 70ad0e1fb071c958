// Messages between the tagging engine (main thread) and its inference workers. Typed arrays are
// transferred, not copied.
import type { ModelManifest } from './manifest';

export type ExecutionProviderChoice = 'auto' | 'cpu' | 'cuda';
export type ExecutionProviderName = 'cpu' | 'cuda';

/** workerData of an inference worker. */
export interface WorkerInit {
  readonly modelPath: string;
  readonly manifest: ModelManifest;
  readonly ep: ExecutionProviderChoice;
  readonly threads: number;
  readonly batchSize: number;
}

export type ToWorker =
  | { readonly type: 'start'; readonly id: number; readonly peaksPerSecond: number }
  | { readonly type: 'pcm'; readonly id: number; readonly samples: Float32Array }
  | { readonly type: 'end'; readonly id: number; readonly warnings: readonly string[] }
  | { readonly type: 'abort'; readonly id: number }
  | { readonly type: 'close' };

/** What the worker computed for one track. */
export interface WorkerTrackResult {
  readonly samples: number;
  readonly patches: number;
  /** patches x tags activations, row-major. */
  readonly taggram: Float32Array;
  /** Mean of the per-patch embeddings; empty when the model has no embedding output. */
  readonly embedding: Float32Array;
  /** Root-mean-square level of the decoded audio. */
  readonly rms: number;
  /** Interleaved min/max peaks; empty unless asked for. */
  readonly peaks: Float32Array;
}

export type FromWorker =
  | {
      readonly type: 'ready';
      readonly provider: ExecutionProviderName;
      readonly fallbackReason?: string;
    }
  | { readonly type: 'consumed'; readonly id: number; readonly samples: number }
  | { readonly type: 'result'; readonly id: number; readonly result: WorkerTrackResult }
  | { readonly type: 'track-error'; readonly id: number; readonly message: string }
  | { readonly type: 'fatal'; readonly message: string };
