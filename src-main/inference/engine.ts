// The tagging engine on the calling thread: decodes files with ffmpeg child processes and streams
// their PCM to a pool of inference workers, with bounded buffering per track so memory stays flat
// whatever the file length. The calling thread only moves buffers; it never runs the model.
import { cpus } from 'node:os';
import type { Worker } from 'node:worker_threads';
import { DecodeError, decodePcm } from '../audio/decode';
import { startWorkerThread } from '../worker-entry';
import { loadModelBundle, type ModelBundle } from './manifest';
import type {
  ExecutionProviderChoice,
  ExecutionProviderName,
  FromWorker,
  ToWorker,
  WorkerInit,
  WorkerTrackResult,
} from './worker-protocol';

export interface EngineOptions {
  readonly modelDir: string;
  readonly ep?: ExecutionProviderChoice;
  /** Inference workers (one ONNX Runtime session each). */
  readonly workers?: number;
  /** Intra-op threads per session. */
  readonly threadsPerWorker?: number;
  /** Patches per model run. */
  readonly batchSize?: number;
  /** Where the engine reports what it decided (provider, fallbacks). */
  readonly log?: (line: string) => void;
}

export interface AnalyzeOptions {
  readonly signal?: AbortSignal;
  /** Waveform peaks to compute per second of audio; 0 for none. */
  readonly peaksPerSecond?: number;
}

/** The raw analysis of one track, before tags are chosen. */
export interface TrackAnalysis extends WorkerTrackResult {
  readonly durationSec: number;
  readonly warnings: string[];
}

interface Inflight {
  readonly worker: PooledWorker;
  readonly resolve: (result: WorkerTrackResult) => void;
  readonly reject: (error: Error) => void;
  unconsumed: number;
  wake: (() => void) | undefined;
}

interface PooledWorker {
  readonly worker: Worker;
  active: number;
}

/** Patches per model run: larger batches did not run faster per patch on the CPU. */
export const DEFAULT_BATCH_SIZE = 8;

/** Samples a track may have queued at its worker before decoding waits (about 24 s at 16 kHz). */
const MAX_UNCONSUMED_SAMPLES = 16000 * 24;

/** Default pool shape for the CPU: one single-threaded session per core, measured to be fastest. */
export function defaultPoolShape(provider: ExecutionProviderChoice): { workers: number; threadsPerWorker: number } {
  const cores = Math.max(1, cpus().length);
  if (provider === 'cuda') return { workers: 1, threadsPerWorker: Math.min(4, cores) };
  return { workers: cores, threadsPerWorker: 1 };
}

export class TaggingEngine {
  private readonly pool: PooledWorker[] = [];
  private readonly inflight = new Map<number, Inflight>();
  private nextId = 1;
  private closed = false;
  private fatal: Error | undefined;

  private constructor(
    readonly bundle: ModelBundle,
    readonly provider: ExecutionProviderName,
    readonly fallbackReason: string | undefined,
  ) {}

  /** Loads the bundle and starts the workers; resolves once every session is ready. */
  static async open(options: EngineOptions): Promise<TaggingEngine> {
    const bundle = await loadModelBundle(options.modelDir);
    const ep = options.ep ?? 'auto';
    const shape = defaultPoolShape(ep);
    const init: WorkerInit = {
      modelPath: bundle.modelPath,
      manifest: bundle.manifest,
      ep,
      threads: options.threadsPerWorker ?? shape.threadsPerWorker,
      batchSize: options.batchSize ?? DEFAULT_BATCH_SIZE,
    };
    // The first worker settles the provider; the others then skip the CUDA probe.
    const first = await startWorker(init);
    const engine = new TaggingEngine(bundle, first.provider, first.fallbackReason);
    engine.adopt(first.worker);
    const count = options.workers ?? (first.provider === 'cuda' ? 1 : shape.workers);
    const rest = await Promise.allSettled(
      Array.from({ length: count - 1 }, () => startWorker({ ...init, ep: first.provider })),
    );
    for (const r of rest) {
      if (r.status === 'fulfilled') engine.adopt(r.value.worker);
      else options.log?.(`an extra inference worker failed to start: ${(r.reason as Error).message}`);
    }
    const m = bundle.manifest;
    options.log?.(
      `model ${m.id} ${m.version}; execution provider ${engine.provider}` +
        (engine.fallbackReason ? ` (${engine.fallbackReason})` : '') +
        `; ${engine.pool.length} worker(s) x ${init.threads} thread(s), batch ${init.batchSize}`,
    );
    return engine;
  }

  /** Number of inference workers. */
  get workers(): number {
    return this.pool.length;
  }

  /**
   * Decodes and runs the model over one file. Expected failures (unreadable, not audio, cancelled)
   * reject with DecodeError; anything else means the engine itself is broken.
   */
  async analyze(file: string, options: AnalyzeOptions = {}): Promise<TrackAnalysis> {
    if (this.closed) throw new Error('the tagging engine is closed');
    if (this.fatal) throw this.fatal;
    const sampleRate = this.bundle.manifest.input.sample_rate;
    const pooled = this.pool.reduce((best, w) => (w.active < best.active ? w : best));
    const id = this.nextId++;
    pooled.active++;
    const send = (message: ToWorker, transfer: ArrayBuffer[] = []): void =>
      pooled.worker.postMessage(message, transfer);
    const done = new Promise<WorkerTrackResult>((resolve, reject) => {
      this.inflight.set(id, { worker: pooled, resolve, reject, unconsumed: 0, wake: undefined });
    });
    // Mark the promise handled now; it is awaited below.
    done.catch(() => undefined);
    const report = { warnings: [] as string[] };
    try {
      send({ type: 'start', id, peaksPerSecond: options.peaksPerSecond ?? 0 });
      for await (const chunk of decodePcm(file, { sampleRate, signal: options.signal }, report)) {
        const state = this.inflight.get(id);
        if (!state) break;
        state.unconsumed += chunk.length;
        send({ type: 'pcm', id, samples: chunk }, [chunk.buffer as ArrayBuffer]);
        while (state.unconsumed > MAX_UNCONSUMED_SAMPLES && this.inflight.has(id)) {
          await new Promise<void>((wake) => (state.wake = wake));
        }
      }
      send({ type: 'end', id, warnings: report.warnings });
      const result = await done;
      return { ...result, durationSec: result.samples / sampleRate, warnings: report.warnings };
    } catch (error) {
      send({ type: 'abort', id });
      this.settle(id)?.reject(error as Error);
      throw error;
    } finally {
      this.inflight.delete(id);
      pooled.active--;
    }
  }

  /** Stops the workers; analyses in flight fail. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const id of [...this.inflight.keys()]) this.settle(id)?.reject(new DecodeError('cancelled'));
    await Promise.all(
      this.pool.map(async ({ worker }) => {
        worker.postMessage({ type: 'close' } satisfies ToWorker);
        const timer = setTimeout(() => void worker.terminate(), 2000);
        await new Promise((resolve) => worker.once('exit', resolve));
        clearTimeout(timer);
      }),
    );
  }

  private settle(id: number): Inflight | undefined {
    const state = this.inflight.get(id);
    this.inflight.delete(id);
    state?.wake?.();
    return state;
  }

  private adopt(worker: Worker): void {
    const pooled: PooledWorker = { worker, active: 0 };
    this.pool.push(pooled);
    worker.on('message', (message: FromWorker) => this.onMessage(message));
    worker.on('error', (error) => this.failAll(new Error(`inference worker crashed: ${error.message}`)));
    worker.on('exit', (code) => {
      if (!this.closed) this.failAll(new Error(`inference worker exited unexpectedly (code ${code})`));
    });
  }

  private onMessage(message: FromWorker): void {
    switch (message.type) {
      case 'consumed': {
        const state = this.inflight.get(message.id);
        if (!state) return;
        state.unconsumed -= message.samples;
        const wake = state.wake;
        state.wake = undefined;
        wake?.();
        return;
      }
      case 'result':
        this.settle(message.id)?.resolve(message.result);
        return;
      case 'track-error':
        this.settle(message.id)?.reject(new DecodeError(message.message));
        return;
      case 'fatal':
        this.failAll(new Error(message.message));
        return;
      case 'ready':
        return;
    }
  }

  private failAll(error: Error): void {
    this.fatal ??= error;
    for (const id of [...this.inflight.keys()]) this.settle(id)?.reject(error);
  }
}

/** Starts one worker and waits for its session. */
function startWorker(
  init: WorkerInit,
): Promise<{ worker: Worker; provider: ExecutionProviderName; fallbackReason?: string }> {
  const worker = startWorkerThread(import.meta.url, 'worker.ts', 'inference-worker', { workerData: init });
  return new Promise((resolve, reject) => {
    const onMessage = (message: FromWorker): void => {
      if (message.type === 'ready') {
        cleanup();
        resolve({ worker, provider: message.provider, fallbackReason: message.fallbackReason });
      } else if (message.type === 'fatal') {
        cleanup();
        void worker.terminate();
        reject(new Error(message.message));
      }
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
