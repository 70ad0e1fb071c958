// The inference floor of one model: its sessions alone on inputs computed beforehand (decode and
// front end excluded), split evenly over the same number of sessions the engine uses.
import { decodePcm } from '../src-main/audio/decode';
import type { ModelBundle } from '../src-main/inference/manifest';
import { patcherFor } from '../src-main/inference/patcher-for';
import { startWorkerThread } from '../src-main/worker-entry';

export interface FloorShape {
  readonly sessions: number;
  readonly threads: number;
  readonly batchSize: number;
}

/** Seconds the model's sessions take over every patch of `files` (clips decoded once each). */
export async function inferenceFloor(bundle: ModelBundle, clips: string[], files: string[], shape: FloorShape): Promise<{ seconds: number; patches: number }> {
  const manifest = bundle.manifest;
  const input = manifest.input;
  const patchShape = input.kind === 'logmel' ? [input.patch_frames, input.n_mels] : [input.patch_samples];
  const patchSize = patchShape.reduce((a, b) => a * b, 1);
  const patchesOf = new Map<string, Float32Array[]>();
  for (const c of clips) {
    const list: Float32Array[] = [];
    const patcher = patcherFor(manifest, (p) => list.push(p.slice()));
    for await (const chunk of decodePcm(c, { sampleRate: input.sample_rate })) patcher.push(chunk);
    patcher.end();
    patchesOf.set(c, list);
  }
  const all = files.flatMap((f) => patchesOf.get(f)!);
  const workers = await Promise.all(
    Array.from({ length: shape.sessions }, async () => {
      const w = startWorkerThread(import.meta.url, 'floor-worker.ts', 'floor-worker', {
        workerData: { modelPath: bundle.modelPath, inputName: input.name, patchShape, threads: shape.threads, batchSize: shape.batchSize },
      });
      await new Promise((resolve) => w.once('message', resolve));
      return w;
    }),
  );
  const share = (i: number): Float32Array => {
    const mine = all.filter((_, k) => k % workers.length === i);
    const data = new Float32Array(mine.length * patchSize);
    mine.forEach((p, k) => data.set(p, k * patchSize));
    return data;
  };
  const runAll = (inputs: Float32Array[]): Promise<unknown[]> =>
    Promise.all(
      workers.map(
        (w, i) =>
          new Promise((resolve) => {
            w.once('message', resolve);
            w.postMessage({ patches: inputs[i] });
          }),
      ),
    );
  await runAll(workers.map(() => all[0]!.slice()));
  const inputs = workers.map((_, i) => share(i));
  const started = performance.now();
  await runAll(inputs);
  const seconds = (performance.now() - started) / 1000;
  workers.forEach((w) => w.postMessage('close'));
  return { seconds, patches: all.length };
}
