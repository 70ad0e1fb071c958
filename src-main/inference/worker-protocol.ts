// Messages between the tagging engine (calling thread), its front-end worker (decoding, model input,
// batching, per-track results) and its inference workers (one ONNX Runtime session each, stateless).
// Typed arrays are transferred, not copied.
//
//   engine --analyze--> front end --batch--> inference workers
//   engine <--result--- front end <--rows--- inference workers
import type { MessagePort } from 'node:worker_threads';
import type { ModelManifest } from './manifest';

export type ExecutionProviderChoice = 'auto' | 'cpu' | 'cuda';
export type ExecutionProviderName = 'cpu' | 'cuda';

/** A model of the set as the workers see it: the file that runs and its manifest. */
export interface WorkerModel {
  readonly modelPath: string;
  readonly manifest: ModelManifest;
}

/** workerData of an inference worker: it opens one session per model of the set. */
export interface InferenceInit {
  readonly models: readonly WorkerModel[];
  readonly ep: ExecutionProviderChoice;
  readonly threads: number;
  /** Niceness of the inference threads, so the threads that feed them and the UI come first. */
  readonly nice: number;
  /** Port to the front-end worker. */
  readonly frontend: MessagePort;
}

/** workerData of the front-end worker; `inference` holds its ports to the inference workers. */
export interface FrontendInit {
  /** The models of the set, in the order results are reported. */
  readonly manifests: readonly ModelManifest[];
  readonly inference: MessagePort[];
  readonly batchSize: number;
  /** Patches not yet run, across all tracks, before decoding waits. */
  readonly maxPatchesInFlight: number;
}

/** Inference worker to engine, once. */
export type InferenceStatus =
  | { readonly type: 'ready'; readonly provider: ExecutionProviderName; readonly fallbackReason?: string }
  | { readonly type: 'fatal'; readonly message: string };

export type EngineToFrontend =
  | {
      readonly type: 'analyze';
      readonly id: number;
      readonly file: string;
      readonly peaksPerSecond: number;
      /** Send provisional results once this many leading patches are done (then at 2x, 4x...); 0 for none. */
      readonly partialFirstPatches: number;
    }
  | { readonly type: 'abort'; readonly id: number }
  | { readonly type: 'close' };

/** What one model of the set computed for a track. */
export interface ModelAnalysisData {
  readonly patches: number;
  /** patches x tags activations, row-major, in the manifest's tag order. */
  readonly taggram: Float32Array;
  /** Mean of the per-patch embeddings; empty when the model has no embedding output. */
  readonly embedding: Float32Array;
  /** patches x detectors (music, then speech when the manifest has it); empty without detectors. */
  readonly detectors: Float32Array;
}

/** What the pipeline computed for one track. */
export interface TrackAnalysisData {
  readonly durationSec: number;
  /** One entry per model of the set, in the set's order. */
  readonly models: readonly ModelAnalysisData[];
  /** Root-mean-square level of the decoded audio. */
  readonly rms: number;
  /** Interleaved min/max peaks; empty unless asked for. */
  readonly peaks: Float32Array;
  /** Non-fatal problems met while decoding. */
  readonly warnings: string[];
}

/** A provisional result: the leading patches of a track still being analysed, per model. */
export interface PartialAnalysisData {
  readonly durationSec: number;
  readonly models: readonly ModelAnalysisData[];
}

export type FrontendToEngine =
  | { readonly type: 'result'; readonly id: number; readonly data: TrackAnalysisData }
  | { readonly type: 'partial'; readonly id: number; readonly data: PartialAnalysisData }
  /** An expected failure of one file, in words for the user. */
  | { readonly type: 'failed'; readonly id: number; readonly reason: string }
  | { readonly type: 'fatal'; readonly message: string };

export type FrontendToInference =
  /** Run `count` patches of model `model` (its index in the set) laid out back to back in `data`. */
  | { readonly type: 'run'; readonly batch: number; readonly model: number; readonly count: number; readonly data: Float32Array }
  | { readonly type: 'close' };

export type InferenceToFrontend =
  | {
      readonly type: 'ran';
      readonly batch: number;
      /** count x tags (the tag columns of the activations output, in tag order). */
      readonly activations: Float32Array;
      /** count x detectors. */
      readonly detectors: Float32Array;
      /** count x embedding_dim; empty when the model has no embedding output. */
      readonly embedding: Float32Array;
    }
  | { readonly type: 'fatal'; readonly message: string };
