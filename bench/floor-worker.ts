// Benchmark worker: runs the model alone over patches computed beforehand (the inference floor),
// with the same session settings and batch size as the tagging engine.
import { parentPort, workerData } from 'node:worker_threads';
import * as ort from 'onnxruntime-node';
import { openSession } from '../src-main/inference/session';

interface FloorInit {
  readonly modelPath: string;
  readonly inputName: string;
  readonly patchShape: number[];
  readonly threads: number;
  readonly batchSize: number;
}

const init = workerData as FloorInit;
const port = parentPort!;
const patchSize = init.patchShape.reduce((a, b) => a * b, 1);
const { session } = await openSession(init.modelPath, 'cpu', init.threads);

port.on('message', async (message: { patches: Float32Array } | 'close') => {
  if (message === 'close') {
    await session.release();
    port.close();
    return;
  }
  const count = message.patches.length / patchSize;
  const started = performance.now();
  for (let first = 0; first < count; first += init.batchSize) {
    const n = Math.min(init.batchSize, count - first);
    const data = message.patches.subarray(first * patchSize, (first + n) * patchSize);
    await session.run({ [init.inputName]: new ort.Tensor('float32', data, [n, ...init.patchShape]) });
  }
  port.postMessage({ ms: performance.now() - started });
});
port.postMessage('ready');
