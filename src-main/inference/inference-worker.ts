// Inference worker: owns one ONNX Runtime session and runs the batches of model patches the
// front-end worker sends, one at a time. It keeps no per-track state. ONNX Runtime's run() blocks
// its thread, which is why it lives here.
import { setPriority } from 'node:os';
import { parentPort, workerData } from 'node:worker_threads';
import * as ort from 'onnxruntime-node';
import { openSession } from './session';
import type { FrontendToInference, InferenceInit, InferenceStatus, InferenceToFrontend } from './worker-protocol';

const init = workerData as InferenceInit;
const frontend = init.frontend;
const manifest = init.manifest;
const input = manifest.input;
const patchShape = input.kind === 'logmel' ? [input.patch_frames, input.n_mels] : [input.patch_samples];
const embeddingName = manifest.outputs.embedding;
const fetches = embeddingName ? [manifest.outputs.activations, embeddingName] : [manifest.outputs.activations];

async function run(session: ort.InferenceSession, message: Extract<FrontendToInference, { type: 'run' }>): Promise<void> {
  const feeds = { [input.name]: new ort.Tensor('float32', message.data, [message.count, ...patchShape]) };
  const out = await session.run(feeds, fetches);
  const activations = (out[manifest.outputs.activations]!.data as Float32Array).slice();
  const embedding = embeddingName ? (out[embeddingName]!.data as Float32Array).slice() : new Float32Array(0);
  const reply: InferenceToFrontend = { type: 'ran', batch: message.batch, activations, embedding };
  frontend.postMessage(reply, [activations.buffer, embedding.buffer]);
}

async function start(): Promise<void> {
  const status = (message: InferenceStatus): void => parentPort!.postMessage(message);
  try {
    // On Linux this sets the niceness of this thread; ONNX Runtime's own threads inherit it.
    if (init.nice > 0) setPriority(0, init.nice);
  } catch {
    // Not permitted here; run at normal priority.
  }
  let session: ort.InferenceSession;
  try {
    const opened = await openSession(init.modelPath, init.ep, init.threads);
    session = opened.session;
    status({ type: 'ready', provider: opened.provider, fallbackReason: opened.fallbackReason });
  } catch (error) {
    status({ type: 'fatal', message: error instanceof Error ? error.message : String(error) });
    frontend.close();
    parentPort!.close();
    return;
  }
  let chain: Promise<void> = Promise.resolve();
  const shutdown = (): void => {
    chain = chain.then(async () => {
      await session.release();
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
    chain = chain.then(() => run(session, message)).catch((error: unknown) => {
      const text = `inference failed: ${error instanceof Error ? error.message : String(error)}`;
      frontend.postMessage({ type: 'fatal', message: text } satisfies InferenceToFrontend);
    });
  });
}

void start();
