// Inference worker: owns one ONNX Runtime session per model of the set and runs the batches of
// model patches the front-end worker sends, one at a time. It keeps no per-track state. ONNX
// Runtime's run() blocks its thread, which is why it lives here.
import { setPriority } from 'node:os';
import { parentPort, workerData } from 'node:worker_threads';
import * as ort from 'onnxruntime-node';
import type { ModelManifest } from './manifest';
import { tagColumns } from './manifest';
import { openSession } from './session';
import type { FrontendToInference, InferenceInit, InferenceStatus, InferenceToFrontend, WorkerModel } from './worker-protocol';

const init = workerData as InferenceInit;
const frontend = init.frontend;

/** What running one model needs besides its session: shapes, output names and columns to keep. */
interface Runner {
  readonly session: ort.InferenceSession;
  readonly manifest: ModelManifest;
  readonly patchShape: number[];
  readonly fetches: string[];
  /** Tag columns of the activations output, or undefined when they are all of it, in order. */
  readonly columns: number[] | undefined;
  readonly detectorColumns: number[];
}

function runnerOf(model: WorkerModel, session: ort.InferenceSession): Runner {
  const manifest = model.manifest;
  const input = manifest.input;
  const columns = tagColumns(manifest);
  const identity = columns.every((c, i) => c === i) && (manifest.outputs.activations_dim ?? columns.length) === columns.length;
  const d = manifest.detectors;
  return {
    session,
    manifest,
    patchShape: input.kind === 'logmel' ? [input.patch_frames, input.n_mels] : [input.patch_samples],
    fetches: manifest.outputs.embedding ? [manifest.outputs.activations, manifest.outputs.embedding] : [manifest.outputs.activations],
    columns: identity ? undefined : columns,
    detectorColumns: d ? [d.music.index, ...(d.speech ? [d.speech.index] : [])] : [],
  };
}

/** The chosen columns of a count x width row-major array. */
function gather(data: Float32Array, count: number, width: number, columns: readonly number[]): Float32Array {
  const out = new Float32Array(count * columns.length);
  for (let r = 0; r < count; r++) {
    for (let c = 0; c < columns.length; c++) out[r * columns.length + c] = data[r * width + columns[c]!]!;
  }
  return out;
}

async function run(runner: Runner, message: Extract<FrontendToInference, { type: 'run' }>): Promise<void> {
  const m = runner.manifest;
  const feeds = { [m.input.name]: new ort.Tensor('float32', message.data, [message.count, ...runner.patchShape]) };
  const out = await runner.session.run(feeds, runner.fetches);
  const raw = out[m.outputs.activations]!.data as Float32Array;
  const width = raw.length / message.count;
  const activations = runner.columns ? gather(raw, message.count, width, runner.columns) : raw.slice();
  const detectors = gather(raw, message.count, width, runner.detectorColumns);
  const embedding = m.outputs.embedding ? (out[m.outputs.embedding]!.data as Float32Array).slice() : new Float32Array(0);
  const reply: InferenceToFrontend = { type: 'ran', batch: message.batch, activations, detectors, embedding };
  frontend.postMessage(reply, [activations.buffer, detectors.buffer, embedding.buffer] as ArrayBuffer[]);
}

async function start(): Promise<void> {
  const status = (message: InferenceStatus): void => parentPort!.postMessage(message);
  try {
    // On Linux this sets the niceness of this thread; ONNX Runtime's own threads inherit it.
    if (init.nice > 0) setPriority(0, init.nice);
  } catch {
    // Not permitted here; run at normal priority.
  }
  const runners: Runner[] = [];
  try {
    // The first session settles the provider; the others of the set follow it.
    let ep = init.ep;
    let fallbackReason: string | undefined;
    let provider: 'cpu' | 'cuda' = 'cpu';
    for (const model of init.models) {
      const opened = await openSession(model.modelPath, ep, init.threads);
      if (runners.length === 0) {
        provider = opened.provider;
        fallbackReason = opened.fallbackReason;
        ep = opened.provider;
      }
      runners.push(runnerOf(model, opened.session));
    }
    status({ type: 'ready', provider, fallbackReason });
  } catch (error) {
    await Promise.all(runners.map((r) => r.session.release()));
    status({ type: 'fatal', message: error instanceof Error ? error.message : String(error) });
    frontend.close();
    parentPort!.close();
    return;
  }
  let chain: Promise<void> = Promise.resolve();
  const shutdown = (): void => {
    chain = chain.then(async () => {
      await Promise.all(runners.map((r) => r.session.release()));
      frontend.close();
      parentPort!.close();
    });
  };
  // The front end closing its end of the channel means the engine is shutting down.
  frontend.once('close', shutdown);
  frontend.on('message', (message: FrontendToInference) => {
    if (message.type === 'close') {
      shutdown();
      return;
    }
    // One batch at a time: run() is awaited and runs must not interleave.
    chain = chain.then(() => run(runners[message.model]!, message)).catch((error: unknown) => {
      const text = `inference failed: ${error instanceof Error ? error.message : String(error)}`;
      frontend.postMessage({ type: 'fatal', message: text } satisfies InferenceToFrontend);
    });
  });
}

void start();
