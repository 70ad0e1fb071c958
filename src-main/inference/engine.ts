// The tagging engine as the calling thread sees it: a front-end worker (ffmpeg decoding and model
// input) feeding an inference worker (ONNX Runtime), joined by their own message channel. The
// calling thread only sends file names and receives results, so it never decodes or runs the model.
import { cpus } from 'node:os';
import { MessageChannel, type MessagePort, type Worker } from 'node:worker_threads';
import { DecodeError } from '../audio/decode';
import { startWorkerThread } from '../worker-entry';
import { loadModelBundle, type ModelBundle } from './manifest';
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

export interface EngineOptions {
  readonly modelDir: string;
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
  readonly onPartial?: (partial: PartialAnalysisData & { readonly durationSec: number }) => void;
}

/** Leading patches (about 24 s of audio) before the first provisional result. */
const FIRST_PARTIAL_PATCHES = 8;

/** The raw analysis of one track, before tags are chosen. */
export interface TrackAnalysis extends TrackAnalysisData {
  readonly durationSec: number;
}

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
    readonly bundle: ModelBundle,
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

  /** Loads the bundle and starts the workers; resolves once the model sessions are ready. */
  static async open(options: EngineOptions): Promise<TaggingEngine> {
    const bundle = await loadModelBundle(options.modelDir);
    const cores = Math.max(1, cpus().length);
    const batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE;
    const started: Array<{ worker: Worker; port: MessagePort }> = [];
    const startOne = async (ep: ExecutionProviderChoice, threads: number): Promise<Extract<InferenceStatus, { type: 'ready' }>> => {
      const channel = new MessageChannel();
      const init: InferenceInit = {
        modelPath: bundle.modelPath,
        manifest: bundle.manifest,
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
        manifest: bundle.manifest,
        inference: started.map((s) => s.port),
        batchSize,
        maxPatchesInFlight: Math.max(MAX_PATCHES_IN_FLIGHT, 4 * batchSize * sessions),
      };
      const frontend = startWorkerThread(import.meta.url, 'frontend-worker.ts', 'frontend-worker', {
        workerData: frontendInit,
        transferList: started.map((s) => s.port),
      });
      const engine = new TaggingEngine(bundle, first.provider, first.fallbackReason, started.map((s) => s.worker), frontend);
      const m = bundle.manifest;
      options.log?.(
        `model ${m.id} ${m.version}; execution provider ${engine.provider}` +
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
    const sampleRate = this.bundle.manifest.input.sample_rate;
    const onAbort = (): void => this.send({ type: 'abort', id });
    options.signal?.addEventListener('abort', onAbort, { once: true });
    const onPartial = options.onPartial
      ? (data: PartialAnalysisData) => options.onPartial!({ ...data, durationSec: data.samples / sampleRate })
      : undefined;
    const result = new Promise<TrackAnalysisData>((resolve, reject) => this.pending.set(id, { resolve, reject, onPartial }));
    this.send({
      type: 'analyze',
      id,
      file,
      peaksPerSecond: options.peaksPerSecond ?? 0,
      partialFirstPatches: onPartial ? FIRST_PARTIAL_PATCHES : 0,
    });
    return result
      .then((data) => ({ ...data, durationSec: data.samples / sampleRate }))
      .finally(() => options.signal?.removeEventListener('abort', onAbort));
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
