// The tagging engine as the calling thread sees it: a front-end worker (ffmpeg decoding and model
// input) feeding inference workers (ONNX Runtime, one session per model of the set in each), joined
// by their own message channels. The calling thread only sends file names and receives results, so
// it never decodes or runs a model. A set of models shares one decode of each file.
import { cpus } from 'node:os';
import { MessageChannel, type MessagePort, type Worker } from 'node:worker_threads';
import { DecodeError } from '../audio/decode';
import { startWorkerThread } from '../worker-entry';
import { loadModelBundle, ModelBundleError, type ModelBundle, type PrecisionChoice } from './manifest';
import type {
  EngineToFrontend,
  ExecutionProviderChoice,
  ExecutionProviderName,
  FrontendInit,
  FrontendToEngine,
  InferenceInit,
  InferenceStatus,
  PartialAnalysisData,
  TrackAnalysisData,
} from './worker-protocol';

/** A model of the set: its bundle folder and, optionally, which copy of it runs. */
export interface ModelChoice {
  readonly dir: string;
  readonly precision?: PrecisionChoice;
}

export interface EngineOptions {
  /** One model (kept for callers that tag with a single bundle). */
  readonly modelDir?: string;
  /** The model set, in the order results are reported; taken before `modelDir`. */
  readonly models?: readonly ModelChoice[];
  /** Precision for models that do not choose their own: the bundle's default, or `exact`. */
  readonly precision?: PrecisionChoice;
  readonly ep?: ExecutionProviderChoice;
  /** ONNX Runtime sessions, each in its own worker; default: one per core on the CPU, one on a GPU. */
  readonly sessions?: number;
  /** Intra-op threads per session; default 1 (sessions in parallel beat threads within one). */
  readonly threads?: number;
  /** Patches per model run. */
  readonly batchSize?: number;
  /** Niceness of the inference threads (0 to 19); default 5 so decoding and the UI come first. */
  readonly nice?: number;
  /** Where the engine reports what it decided (provider, fallbacks). */
  readonly log?: (line: string) => void;
}

export interface AnalyzeOptions {
  readonly signal?: AbortSignal;
  /** Waveform peaks to compute per second of audio; 0 for none. */
  readonly peaksPerSecond?: number;
  /** Receives provisional results while a long track is analysed (first after a few patches). */
  readonly onPartial?: (partial: PartialAnalysisData) => void;
}

/** Leading patches (about 24 s of audio) before the first provisional result. */
const FIRST_PARTIAL_PATCHES = 8;

/** The raw analysis of one track, before tags are chosen: one entry per model of the set. */
export type TrackAnalysis = TrackAnalysisData;

/** Patches per model run: on the CPU, larger batches were no faster and cost ~40 MB each. */
export const DEFAULT_BATCH_SIZE = 2;

/** Patches queued at the inference worker before decoding waits (each 72 kB for musicnn). */
const MAX_PATCHES_IN_FLIGHT = 16;

interface Pending {
  readonly resolve: (data: TrackAnalysisData) => void;
  readonly reject: (error: Error) => void;
  readonly onPartial?: (data: PartialAnalysisData) => void;
}

export class TaggingEngine {
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private closed = false;
  private fatal: Error | undefined;
  private readonly exited = new Set<Worker>();

  private constructor(
    readonly bundles: readonly ModelBundle[],
    readonly provider: ExecutionProviderName,
    readonly fallbackReason: string | undefined,
    private readonly inference: Worker[],
    private readonly frontend: Worker,
  ) {
    frontend.on('message', (message: FrontendToEngine) => this.onMessage(message));
    const named = [['front-end', frontend] as const, ...inference.map((w) => ['inference', w] as const)];
    for (const [name, worker] of named) {
      worker.on('error', (error) => this.failAll(new Error(`${name} worker crashed: ${error.message}`)));
      worker.on('exit', (code) => {
        this.exited.add(worker);
        if (!this.closed) this.failAll(new Error(`${name} worker exited unexpectedly (code ${code})`));
      });
    }
  }

  /** Loads the bundles and starts the workers; resolves once the model sessions are ready. */
  static async open(options: EngineOptions): Promise<TaggingEngine> {
    const choices = options.models ?? (options.modelDir ? [{ dir: options.modelDir }] : []);
    if (choices.length === 0) throw new Error('no model to tag with');
    const bundles: ModelBundle[] = [];
    for (const choice of choices) bundles.push(await loadModelBundle(choice.dir, choice.precision ?? options.precision ?? 'default'));
    const ids = bundles.map((b) => b.manifest.id);
    const twice = ids.find((id, i) => ids.indexOf(id) !== i);
    if (twice) throw new ModelBundleError(`model ${twice} is in the set twice`);
    const cores = Math.max(1, cpus().length);
    const batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE;
    const started: Array<{ worker: Worker; port: MessagePort }> = [];
    const startOne = async (ep: ExecutionProviderChoice, threads: number): Promise<Extract<InferenceStatus, { type: 'ready' }>> => {
      const channel = new MessageChannel();
      const init: InferenceInit = {
        models: bundles.map((b) => ({ modelPath: b.modelPath, manifest: b.manifest })),
        ep,
        threads,
        nice: options.nice ?? 5,
        frontend: channel.port1,
      };
      const worker = startWorkerThread(import.meta.url, 'inference-worker.ts', 'inference-worker', {
        workerData: init,
        transferList: [channel.port1],
      });
      const status = await firstStatus(worker).catch((error: Error) => ({ type: 'fatal', message: error.message }) as const);
      if (status.type === 'fatal') {
        channel.port2.close();
        await worker.terminate();
        throw new Error(status.message);
      }
      started.push({ worker, port: channel.port2 });
      return status;
    };
    try {
      // The first session settles the provider (an `auto` CUDA probe happens once); the rest follow it.
      const threads = options.threads ?? 1;
      const first = await startOne(options.ep ?? 'auto', threads);
      const sessions = options.sessions ?? (first.provider === 'cuda' ? 1 : cores);
      await Promise.all(Array.from({ length: sessions - started.length }, () => startOne(first.provider, threads)));
      const frontendInit: FrontendInit = {
        manifests: bundles.map((b) => b.manifest),
        inference: started.map((s) => s.port),
        batchSize,
        maxPatchesInFlight: Math.max(MAX_PATCHES_IN_FLIGHT, 4 * batchSize * sessions) * bundles.length,
      };
      const frontend = startWorkerThread(import.meta.url, 'frontend-worker.ts', 'frontend-worker', {
        workerData: frontendInit,
        transferList: started.map((s) => s.port),
      });
      const engine = new TaggingEngine(bundles, first.provider, first.fallbackReason, started.map((s) => s.worker), frontend);
      const names = bundles.map((b) => `${b.manifest.id} ${b.manifest.version}${b.precision === 'exact' ? '' : ` (${b.precision})`}`);
      options.log?.(
        `model${names.length > 1 ? 's' : ''} ${names.join(', ')}; execution provider ${engine.provider}` +
          (engine.fallbackReason ? ` (${engine.fallbackReason})` : '') +
          `; ${sessions} session(s) x ${threads} thread(s), batch ${batchSize}`,
      );
      return engine;
    } catch (error) {
      for (const { worker, port } of started) {
        port.close();
        await worker.terminate();
      }
      throw error;
    }
  }

  /**
   * Decodes and runs the model over one file. Expected failures (unreadable, not audio, cancelled)
   * reject with DecodeError; anything else means the engine itself is broken.
   */
  analyze(file: string, options: AnalyzeOptions = {}): Promise<TrackAnalysis> {
    if (this.closed) return Promise.reject(new Error('the tagging engine is closed'));
    if (this.fatal) return Promise.reject(this.fatal);
    if (options.signal?.aborted) return Promise.reject(new DecodeError('cancelled'));
    const id = this.nextId++;
    const onAbort = (): void => this.send({ type: 'abort', id });
    options.signal?.addEventListener('abort', onAbort, { once: true });
    const onPartial = options.onPartial;
    const result = new Promise<TrackAnalysisData>((resolve, reject) => this.pending.set(id, { resolve, reject, onPartial }));
    this.send({
      type: 'analyze',
      id,
      file,
      peaksPerSecond: options.peaksPerSecond ?? 0,
      partialFirstPatches: onPartial ? FIRST_PARTIAL_PATCHES : 0,
    });
    return result.finally(() => options.signal?.removeEventListener('abort', onAbort));
  }

  /** The first model of the set (the one a single-model caller asked for). */
  get bundle(): ModelBundle {
    return this.bundles[0]!;
  }

  /** True once a worker failed: the engine must be replaced (a new one opened) to tag again. */
  get broken(): boolean {
    return this.fatal !== undefined;
  }

  /** Stops the workers; analyses in flight fail with "cancelled". */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const id of [...this.pending.keys()]) this.settle(id)?.reject(new DecodeError('cancelled'));
    // A worker that already died will not say so again: wait only for the living.
    const all = [this.frontend, ...this.inference].filter((w) => !this.exited.has(w));
    const exited = all.map((w) => new Promise<void>((resolve) => w.once('exit', () => resolve())));
    this.send({ type: 'close' });
    const timer = setTimeout(() => all.forEach((w) => void w.terminate()), 3000);
    await Promise.all(exited);
    clearTimeout(timer);
  }

  private send(message: EngineToFrontend): void {
    this.frontend.postMessage(message);
  }

  private settle(id: number): Pending | undefined {
    const pending = this.pending.get(id);
    this.pending.delete(id);
    return pending;
  }

  private onMessage(message: FrontendToEngine): void {
    switch (message.type) {
      case 'result':
        this.settle(message.id)?.resolve(message.data);
        return;
      case 'failed':
        this.settle(message.id)?.reject(new DecodeError(message.reason));
        return;
      case 'partial':
        this.pending.get(message.id)?.onPartial?.(message.data);
        return;
      case 'fatal':
        this.failAll(new Error(message.message));
        return;
    }
  }

  private failAll(error: Error): void {
    this.fatal ??= error;
    for (const id of [...this.pending.keys()]) this.settle(id)?.reject(error);
  }
}

/** The inference worker's first message: ready or fatal. */
function firstStatus(worker: Worker): Promise<InferenceStatus> {
  return new Promise((resolve, reject) => {
    const onMessage = (message: InferenceStatus): void => {
      cleanup();
      resolve(message);
    };
    const onError = (error: Error): void => {
      cleanup();
      reject(error);
    };
    const onExit = (code: number): void => {
      cleanup();
      reject(new Error(`inference worker exited during start-up (code ${code})`));
    };
    const cleanup = (): void => {
      worker.off('message', onMessage);
      worker.off('error', onError);
      worker.off('exit', onExit);
    };
    worker.on('message', onMessage);
    worker.on('error', onError);
    worker.on('exit', onExit);
  });
}
