// Front-end worker: decodes each track once with ffmpeg (one output per sample rate the model set
// needs), turns the PCM into each model's patches (log-mel or waveform, as its manifest says),
// level and peaks, batches the patches of all tracks per model and hands the batches to whichever
// inference worker is free, then puts each track's rows back together per model. Work is done in
// small chunks, so many tracks progress side by side; decoding waits whenever enough patches are
// queued, which keeps memory flat whatever the file length.
import type { MessagePort } from 'node:worker_threads';
import { parentPort, workerData } from 'node:worker_threads';
import { DecodeError, decodePcmRates } from '../audio/decode';
import { PeakBuilder } from '../audio/peaks';
import type { ModelManifest } from './manifest';
import { patcherFor } from './patcher-for';
import type {
  EngineToFrontend,
  FrontendInit,
  FrontendToEngine,
  FrontendToInference,
  InferenceToFrontend,
  ModelAnalysisData,
} from './worker-protocol';

/** The sizes of one model's rows and patches. */
interface ModelShape {
  readonly manifest: ModelManifest;
  readonly nTags: number;
  readonly nDetectors: number;
  readonly embeddingDim: number;
  readonly patchSize: number;
  /** Index of its sample rate among the decoded streams. */
  readonly stream: number;
}

/** One model's rows of one track. */
interface ModelTrack {
  readonly rows: Float32Array[];
  readonly detectorRows: Float32Array[];
  readonly embeddingSum: Float64Array;
  received: number;
  /** Set when decoding has finished: the number of patches the model has for the track. */
  expected: number | undefined;
  /** How many leading patches have come back (rows 0..prefix-1 all present). */
  prefix: number;
}

interface TrackTask {
  readonly controller: AbortController;
  readonly models: ModelTrack[];
  complete?: () => void;
  /** Leading patches of the first model needed for the next provisional result; 0 when none are wanted. */
  partialAt: number;
  samplesRead: number;
}

interface QueuedPatch {
  readonly id: number;
  readonly index: number;
  readonly data: Float32Array;
}

interface InferencePort {
  readonly port: MessagePort;
  busy: number;
}

const init = workerData as FrontendInit;
const rates = [...new Set(init.manifests.map((m) => m.input.sample_rate))];
const shapes: ModelShape[] = init.manifests.map((manifest) => {
  const input = manifest.input;
  const d = manifest.detectors;
  return {
    manifest,
    nTags: manifest.tags.length,
    nDetectors: d ? 1 + (d.speech ? 1 : 0) : 0,
    embeddingDim: manifest.outputs.embedding ? (manifest.outputs.embedding_dim ?? 0) : 0,
    patchSize: input.kind === 'logmel' ? input.patch_frames * input.n_mels : input.patch_samples,
    stream: rates.indexOf(input.sample_rate),
  };
});
const tasks = new Map<number, TrackTask>();
const workers: InferencePort[] = init.inference.map((port) => ({ port, busy: 0 }));
const batches = new Map<number, { model: number; items: Array<{ id: number; index: number }> }>();
/** Patches waiting for a worker, one queue per model (a batch holds patches of one model). */
const queues: QueuedPatch[][] = shapes.map(() => []);
let nextBatch = 1;
let inFlight = 0;
let waiters: Array<() => void> = [];
let broken: Error | undefined;

function toEngine(message: FrontendToEngine, transfer: ArrayBuffer[] = []): void {
  parentPort!.postMessage(message, transfer);
}

function wakeAll(): void {
  const ready = waiters;
  waiters = [];
  for (const wake of ready) wake();
}

/** The model whose queue should go next: a full batch first, else the longest queue. */
function nextModel(fullOnly: boolean): number {
  let best = -1;
  for (let m = 0; m < queues.length; m++) {
    const length = queues[m]!.length;
    if (length === 0 || (fullOnly && length < init.batchSize)) continue;
    if (best < 0 || length > queues[best]!.length) best = m;
  }
  return best;
}

/** Gives queued patches to free workers: a full batch to any worker with room, a partial one to an idle worker. */
function dispatch(): void {
  for (const worker of workers) {
    for (;;) {
      const model = worker.busy === 0 ? nextModel(false) : worker.busy < 2 ? nextModel(true) : -1;
      if (model < 0) break;
      const shape = shapes[model]!;
      const take = queues[model]!.splice(0, init.batchSize);
      const data = new Float32Array(take.length * shape.patchSize);
      take.forEach((p, i) => data.set(p.data, i * shape.patchSize));
      const batch = nextBatch++;
      batches.set(batch, { model, items: take.map(({ id, index }) => ({ id, index })) });
      worker.busy++;
      const message: FrontendToInference = { type: 'run', batch, model, count: take.length, data };
      worker.port.postMessage(message, [data.buffer]);
    }
  }
}

function finished(task: TrackTask): boolean {
  return task.models.every((m) => m.expected !== undefined && m.received === m.expected);
}

function onRan(worker: InferencePort, message: Extract<InferenceToFrontend, { type: 'ran' }>): void {
  worker.busy--;
  const batch = batches.get(message.batch);
  batches.delete(message.batch);
  const items = batch?.items ?? [];
  inFlight -= items.length;
  const shape = shapes[batch?.model ?? 0]!;
  const { nTags, nDetectors, embeddingDim } = shape;
  items.forEach(({ id, index }, i) => {
    const task = tasks.get(id);
    if (!task || !batch) return; // cancelled meanwhile
    const track = task.models[batch.model]!;
    track.rows[index] = message.activations.slice(i * nTags, (i + 1) * nTags);
    track.detectorRows[index] = message.detectors.slice(i * nDetectors, (i + 1) * nDetectors);
    for (let d = 0; d < embeddingDim; d++) track.embeddingSum[d]! += message.embedding[i * embeddingDim + d]!;
    track.received++;
    if (finished(task)) task.complete?.();
  });
  for (const id of new Set(items.map((i) => i.id))) {
    const task = tasks.get(id);
    if (task) maybeSendPartial(id, task);
  }
  wakeAll();
  dispatch();
}

/** The first `count` rows of one model as row-major arrays, with the mean embedding of `received` rows. */
function assembleModel(shape: ModelShape, track: ModelTrack, count: number): ModelAnalysisData {
  const taggram = new Float32Array(count * shape.nTags);
  const detectors = new Float32Array(count * shape.nDetectors);
  for (let i = 0; i < count; i++) {
    taggram.set(track.rows[i]!, i * shape.nTags);
    detectors.set(track.detectorRows[i]!, i * shape.nDetectors);
  }
  const embedding = new Float32Array(shape.embeddingDim);
  const n = Math.max(1, track.received);
  for (let d = 0; d < shape.embeddingDim; d++) embedding[d] = track.received > 0 ? track.embeddingSum[d]! / n : 0;
  return { patches: count, taggram, embedding, detectors };
}

function transfers(models: readonly ModelAnalysisData[]): ArrayBuffer[] {
  return models.flatMap((m) => [m.taggram.buffer as ArrayBuffer, m.embedding.buffer as ArrayBuffer, m.detectors.buffer as ArrayBuffer]);
}

/** Sends a provisional result when enough leading patches of the first model are done. */
function maybeSendPartial(id: number, task: TrackTask): void {
  if (task.partialAt === 0 || finished(task)) return;
  for (const track of task.models) while (track.rows[track.prefix] !== undefined) track.prefix++;
  const lead = task.models[0]!;
  if (lead.prefix < task.partialAt || lead.prefix === lead.expected) return;
  task.partialAt = lead.prefix * 2;
  const models = task.models.map((track, m) => assembleModel(shapes[m]!, track, track.prefix));
  const durationSec = task.samplesRead / rates[0]!;
  toEngine({ type: 'partial', id, data: { durationSec, models } }, transfers(models));
}

async function roomForPatches(): Promise<void> {
  while (inFlight >= init.maxPatchesInFlight && !broken) await new Promise<void>((wake) => waiters.push(wake));
}

function newTask(partialFirstPatches: number): TrackTask {
  return {
    controller: new AbortController(),
    models: shapes.map((s) => ({ rows: [], detectorRows: [], embeddingSum: new Float64Array(s.embeddingDim), received: 0, expected: undefined, prefix: 0 })),
    partialAt: partialFirstPatches,
    samplesRead: 0,
  };
}

async function analyze(id: number, file: string, peaksPerSecond: number, partialFirstPatches: number): Promise<void> {
  const task = newTask(partialFirstPatches);
  tasks.set(id, task);
  const report = { warnings: [] as string[] };
  const peaks = peaksPerSecond > 0 ? new PeakBuilder(Math.max(1, Math.round(rates[0]! / peaksPerSecond))) : undefined;
  let sumSquares = 0;
  const patchers = shapes.map((shape, m) =>
    patcherFor(shape.manifest, (patch, index) => {
      inFlight++;
      queues[m]!.push({ id, index, data: patch });
    }),
  );
  try {
    for await (const { stream, samples: chunk } of decodePcmRates(file, { sampleRates: rates, signal: task.controller.signal }, report)) {
      if (stream === 0) {
        for (let i = 0; i < chunk.length; i++) sumSquares += chunk[i]! * chunk[i]!;
        task.samplesRead += chunk.length;
        peaks?.push(chunk);
      }
      shapes.forEach((shape, m) => shape.stream === stream && patchers[m]!.push(chunk));
      dispatch();
      await roomForPatches();
      if (broken) throw broken;
    }
    patchers.forEach((p) => p.end());
    dispatch();
    await new Promise<void>((resolve, reject) => {
      task.models.forEach((track, m) => (track.expected = patchers[m]!.patches));
      if (finished(task)) resolve();
      task.complete = resolve;
      const cancelled = (): void => reject(new DecodeError('cancelled'));
      if (task.controller.signal.aborted) cancelled();
      task.controller.signal.addEventListener('abort', cancelled, { once: true });
      if (broken) reject(broken);
    });
    const models = task.models.map((track, m) => assembleModel(shapes[m]!, track, track.expected ?? 0));
    const samples = task.samplesRead;
    const peakData = peaks ? peaks.finish() : new Float32Array(0);
    const data = {
      durationSec: samples / rates[0]!,
      models,
      rms: samples > 0 ? Math.sqrt(sumSquares / samples) : 0,
      peaks: peakData,
      warnings: report.warnings,
    };
    toEngine({ type: 'result', id, data }, [...transfers(models), peakData.buffer as ArrayBuffer]);
  } catch (error) {
    if (error instanceof DecodeError) toEngine({ type: 'failed', id, reason: error.reason });
    else toEngine({ type: 'fatal', message: error instanceof Error ? error.message : String(error) });
  } finally {
    tasks.delete(id);
    // Patches of a failed or cancelled track that no worker has taken yet are dropped.
    for (let m = 0; m < queues.length; m++) {
      const before = queues[m]!.length;
      queues[m] = queues[m]!.filter((p) => p.id !== id);
      inFlight -= before - queues[m]!.length;
    }
    wakeAll();
  }
}

for (const worker of workers) {
  worker.port.on('message', (message: InferenceToFrontend) => {
    if (message.type === 'ran') {
      onRan(worker, message);
      return;
    }
    broken = new Error(message.message);
    for (const task of tasks.values()) task.controller.abort();
    wakeAll();
    toEngine({ type: 'fatal', message: message.message });
  });
}

parentPort!.on('message', (message: EngineToFrontend) => {
  switch (message.type) {
    case 'analyze':
      void analyze(message.id, message.file, message.peaksPerSecond, message.partialFirstPatches);
      return;
    case 'abort':
      tasks.get(message.id)?.controller.abort();
      return;
    case 'close':
      for (const task of tasks.values()) task.controller.abort();
      for (const worker of workers) {
        worker.port.postMessage({ type: 'close' } satisfies FrontendToInference);
        worker.port.close();
      }
      parentPort!.close();
      return;
  }
});
