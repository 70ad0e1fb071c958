// Front-end worker: decodes each track with ffmpeg, turns its PCM into model patches (log-mel or
// waveform), level and peaks, batches the patches of all tracks and hands the batches to whichever
// inference worker is free, then puts each track's rows back together. Work is done in small
// chunks, so many tracks progress side by side; decoding waits whenever enough patches are queued,
// which keeps memory flat whatever the file length.
import type { MessagePort } from 'node:worker_threads';
import { parentPort, workerData } from 'node:worker_threads';
import { DecodeError, decodePcm } from '../audio/decode';
import { LogMelPatcher } from '../audio/logmel';
import type { Patcher } from '../audio/patcher';
import { PeakBuilder } from '../audio/peaks';
import { WaveformPatcher } from '../audio/waveform-patcher';
import { logMelSpecOf } from './manifest';
import type {
  EngineToFrontend,
  FrontendInit,
  FrontendToEngine,
  FrontendToInference,
  InferenceToFrontend,
} from './worker-protocol';

interface TrackTask {
  readonly controller: AbortController;
  readonly rows: Float32Array[];
  readonly embeddingSum: Float64Array;
  received: number;
  /** Set when decoding has finished: the number of patches the track has. */
  expected: number | undefined;
  complete?: () => void;
  /** Leading patches needed for the next provisional result; 0 when none are wanted. */
  partialAt: number;
  /** How many leading patches have come back (rows 0..prefix-1 all present). */
  prefix: number;
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
const manifest = init.manifest;
const input = manifest.input;
const nTags = manifest.tags.length;
const embeddingDim = manifest.outputs.embedding ? (manifest.outputs.embedding_dim ?? 0) : 0;
const patchSize = input.kind === 'logmel' ? input.patch_frames * input.n_mels : input.patch_samples;
const tasks = new Map<number, TrackTask>();
const workers: InferencePort[] = init.inference.map((port) => ({ port, busy: 0 }));
const batches = new Map<number, Array<{ id: number; index: number }>>();
let queue: QueuedPatch[] = [];
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

/** Gives queued patches to free workers: a full batch to any worker with room, a partial one to an idle worker. */
function dispatch(): void {
  for (const worker of workers) {
    while (queue.length > 0 && (worker.busy === 0 || (worker.busy < 2 && queue.length >= init.batchSize))) {
      const take = queue.slice(0, init.batchSize);
      queue = queue.slice(take.length);
      const data = new Float32Array(take.length * patchSize);
      take.forEach((p, i) => data.set(p.data, i * patchSize));
      const batch = nextBatch++;
      batches.set(batch, take.map(({ id, index }) => ({ id, index })));
      worker.busy++;
      const message: FrontendToInference = { type: 'run', batch, count: take.length, data };
      worker.port.postMessage(message, [data.buffer]);
    }
  }
}

function onRan(worker: InferencePort, message: Extract<InferenceToFrontend, { type: 'ran' }>): void {
  worker.busy--;
  const items = batches.get(message.batch) ?? [];
  batches.delete(message.batch);
  inFlight -= items.length;
  items.forEach(({ id, index }, i) => {
    const task = tasks.get(id);
    if (!task) return; // cancelled meanwhile
    task.rows[index] = message.activations.slice(i * nTags, (i + 1) * nTags);
    for (let d = 0; d < embeddingDim; d++) task.embeddingSum[d]! += message.embedding[i * embeddingDim + d]!;
    task.received++;
    if (task.received === task.expected) task.complete?.();
  });
  for (const id of new Set(items.map((i) => i.id))) {
    const task = tasks.get(id);
    if (task) maybeSendPartial(id, task);
  }
  wakeAll();
  dispatch();
}

/** Sends a provisional result when enough leading patches are done and the track is not finished. */
function maybeSendPartial(id: number, task: TrackTask): void {
  if (task.partialAt === 0 || task.received === task.expected) return;
  while (task.rows[task.prefix] !== undefined) task.prefix++;
  const prefix = task.prefix;
  if (prefix < task.partialAt) return;
  task.partialAt = prefix * 2;
  const taggram = taggramOf(task.rows, prefix);
  const embedding = new Float32Array(embeddingDim);
  for (let d = 0; d < embeddingDim; d++) embedding[d] = task.embeddingSum[d]! / Math.max(1, task.received);
  const data = { samples: task.samplesRead, patches: prefix, taggram, embedding };
  toEngine({ type: 'partial', id, data }, [taggram.buffer as ArrayBuffer, embedding.buffer as ArrayBuffer]);
}

function makePatcher(onPatch: (patch: Float32Array, index: number) => void): Patcher {
  if (input.kind === 'waveform') return new WaveformPatcher(input.patch_samples, onPatch);
  return new LogMelPatcher(logMelSpecOf(manifest)!, onPatch);
}

async function roomForPatches(): Promise<void> {
  while (inFlight >= init.maxPatchesInFlight && !broken) await new Promise<void>((wake) => waiters.push(wake));
}

/** The first `count` rows as one row-major patches x tags array. */
function taggramOf(rows: readonly Float32Array[], count: number): Float32Array {
  const taggram = new Float32Array(count * nTags);
  for (let i = 0; i < count; i++) taggram.set(rows[i]!, i * nTags);
  return taggram;
}

function assemble(task: TrackTask): { taggram: Float32Array; embedding: Float32Array } {
  const patches = task.expected ?? 0;
  const taggram = taggramOf(task.rows, patches);
  const embedding = new Float32Array(embeddingDim);
  for (let d = 0; d < embeddingDim; d++) embedding[d] = patches > 0 ? task.embeddingSum[d]! / patches : 0;
  return { taggram, embedding };
}

async function analyze(id: number, file: string, peaksPerSecond: number, partialFirstPatches: number): Promise<void> {
  const task: TrackTask = {
    controller: new AbortController(),
    rows: [],
    embeddingSum: new Float64Array(embeddingDim),
    received: 0,
    expected: undefined,
    partialAt: partialFirstPatches,
    prefix: 0,
    samplesRead: 0,
  };
  tasks.set(id, task);
  const report = { warnings: [] as string[] };
  const peaks = peaksPerSecond > 0 ? new PeakBuilder(Math.max(1, Math.round(input.sample_rate / peaksPerSecond))) : undefined;
  let sent = 0;
  let sumSquares = 0;
  const patcher = makePatcher((patch, index) => {
    inFlight++;
    sent++;
    queue.push({ id, index, data: patch });
  });
  try {
    for await (const chunk of decodePcm(file, { sampleRate: input.sample_rate, signal: task.controller.signal }, report)) {
      for (let i = 0; i < chunk.length; i++) sumSquares += chunk[i]! * chunk[i]!;
      task.samplesRead += chunk.length;
      peaks?.push(chunk);
      patcher.push(chunk);
      dispatch();
      await roomForPatches();
      if (broken) throw broken;
    }
    patcher.end();
    dispatch();
    await new Promise<void>((resolve, reject) => {
      task.expected = sent;
      if (task.received === sent) resolve();
      task.complete = resolve;
      const cancelled = (): void => reject(new DecodeError('cancelled'));
      if (task.controller.signal.aborted) cancelled();
      task.controller.signal.addEventListener('abort', cancelled, { once: true });
      if (broken) reject(broken);
    });
    const { taggram, embedding } = assemble(task);
    const samples = patcher.samples;
    const peakData = peaks ? peaks.finish() : new Float32Array(0);
    const data = {
      samples,
      patches: sent,
      taggram,
      embedding,
      rms: samples > 0 ? Math.sqrt(sumSquares / samples) : 0,
      peaks: peakData,
      warnings: report.warnings,
    };
    toEngine({ type: 'result', id, data }, [taggram.buffer as ArrayBuffer, embedding.buffer as ArrayBuffer, peakData.buffer as ArrayBuffer]);
  } catch (error) {
    if (error instanceof DecodeError) toEngine({ type: 'failed', id, reason: error.reason });
    else toEngine({ type: 'fatal', message: error instanceof Error ? error.message : String(error) });
  } finally {
    tasks.delete(id);
    // Patches of a failed or cancelled track that no worker has taken yet are dropped.
    const before = queue.length;
    queue = queue.filter((p) => p.id !== id);
    inFlight -= before - queue.length;
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
