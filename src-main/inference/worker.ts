// Inference worker thread: owns one ONNX Runtime session, turns the PCM of the tracks it is given
// into model patches, runs them in batches (patches of several tracks may share a batch) and sends
// back each track's taggram and mean embedding. ONNX Runtime's run() blocks its thread, which is why
// it lives here and not on the main thread.
import { parentPort, workerData } from 'node:worker_threads';
import * as ort from 'onnxruntime-node';
import { LogMelPatcher } from '../audio/logmel';
import type { Patcher } from '../audio/patcher';
import { PeakBuilder } from '../audio/peaks';
import { WaveformPatcher } from '../audio/waveform-patcher';
import { logMelSpecOf } from './manifest';
import { openSession } from './session';
import type { FromWorker, ToWorker, WorkerInit } from './worker-protocol';

interface TrackState {
  readonly id: number;
  readonly patcher: Patcher;
  readonly rows: Float32Array[];
  readonly embeddingSum: Float64Array;
  readonly peaks: PeakBuilder | undefined;
  sumSquares: number;
  pending: number;
  ended: boolean;
}

interface PendingPatch {
  readonly track: TrackState;
  readonly index: number;
  readonly data: Float32Array;
}

const port = parentPort;
if (!port) throw new Error('worker.ts must run as a worker thread');
const init = workerData as WorkerInit;
const manifest = init.manifest;
const nTags = manifest.tags.length;
const embeddingName = manifest.outputs.embedding;
const embeddingDim = manifest.outputs.embedding_dim ?? 0;
const input = manifest.input;
const patchShape = input.kind === 'logmel' ? [input.patch_frames, input.n_mels] : [input.patch_samples];
const patchSize = patchShape.reduce((a, b) => a * b, 1);

const tracks = new Map<number, TrackState>();
let pending: PendingPatch[] = [];
let session: ort.InferenceSession | undefined;

function post(message: FromWorker, transfer: ArrayBuffer[] = []): void {
  port!.postMessage(message, transfer);
}

function makePatcher(onPatch: (patch: Float32Array, index: number) => void): Patcher {
  if (input.kind === 'waveform') return new WaveformPatcher(input.patch_samples, onPatch);
  return new LogMelPatcher(logMelSpecOf(manifest)!, onPatch);
}

async function runBatch(count: number): Promise<void> {
  const batch = pending.slice(0, count);
  pending = pending.slice(count);
  const data = new Float32Array(batch.length * patchSize);
  batch.forEach((p, i) => data.set(p.data, i * patchSize));
  const feeds = { [input.name]: new ort.Tensor('float32', data, [batch.length, ...patchShape]) };
  const fetches = embeddingName ? [manifest.outputs.activations, embeddingName] : [manifest.outputs.activations];
  const out = await session!.run(feeds, fetches);
  const activations = out[manifest.outputs.activations]!.data as Float32Array;
  const embedding = embeddingName ? (out[embeddingName]!.data as Float32Array) : undefined;
  batch.forEach((p, i) => {
    p.track.rows[p.index] = activations.slice(i * nTags, (i + 1) * nTags);
    if (embedding) {
      const sum = p.track.embeddingSum;
      for (let d = 0; d < embeddingDim; d++) sum[d]! += embedding[i * embeddingDim + d]!;
    }
    p.track.pending--;
  });
}

function finishTrack(track: TrackState): void {
  tracks.delete(track.id);
  const patches = track.rows.length;
  if (patches === 0) {
    post({ type: 'track-error', id: track.id, message: 'no audio could be decoded (the file is truncated or damaged)' });
    return;
  }
  const taggram = new Float32Array(patches * nTags);
  track.rows.forEach((row, i) => taggram.set(row, i * nTags));
  const embedding = new Float32Array(embeddingDim);
  for (let d = 0; d < embeddingDim; d++) embedding[d] = track.embeddingSum[d]! / patches;
  const peaks = track.peaks ? track.peaks.finish() : new Float32Array(0);
  const samples = track.patcher.samples;
  const result = {
    samples,
    patches,
    taggram,
    embedding,
    rms: samples > 0 ? Math.sqrt(track.sumSquares / samples) : 0,
    peaks,
  };
  post({ type: 'result', id: track.id, result }, [taggram.buffer, embedding.buffer, peaks.buffer as ArrayBuffer]);
}

async function flushAll(): Promise<void> {
  while (pending.length > 0) await runBatch(Math.min(init.batchSize, pending.length));
  for (const track of [...tracks.values()]) {
    if (track.ended && track.pending === 0) finishTrack(track);
  }
}

async function handle(message: ToWorker): Promise<void> {
  switch (message.type) {
    case 'start': {
      const rows: Float32Array[] = [];
      const track: TrackState = {
        id: message.id,
        rows,
        embeddingSum: new Float64Array(embeddingDim),
        peaks:
          message.peaksPerSecond > 0
            ? new PeakBuilder(Math.max(1, Math.round(input.sample_rate / message.peaksPerSecond)))
            : undefined,
        sumSquares: 0,
        pending: 0,
        ended: false,
        patcher: makePatcher((patch, index) => {
          pending.push({ track, index, data: patch });
          track.pending++;
        }),
      };
      tracks.set(message.id, track);
      return;
    }
    case 'pcm': {
      const track = tracks.get(message.id);
      if (!track) return;
      const samples = message.samples;
      let squares = 0;
      for (let i = 0; i < samples.length; i++) squares += samples[i]! * samples[i]!;
      track.sumSquares += squares;
      track.peaks?.push(samples);
      track.patcher.push(samples);
      post({ type: 'consumed', id: message.id, samples: samples.length });
      while (pending.length >= init.batchSize) await runBatch(init.batchSize);
      return;
    }
    case 'end': {
      const track = tracks.get(message.id);
      if (!track) return;
      track.patcher.end();
      track.ended = true;
      await flushAll();
      return;
    }
    case 'abort': {
      const track = tracks.get(message.id);
      if (!track) return;
      tracks.delete(message.id);
      pending = pending.filter((p) => p.track !== track);
      return;
    }
    case 'close':
      await session?.release();
      port!.close();
      return;
  }
}

let chain: Promise<void> = Promise.resolve();

async function start(): Promise<void> {
  try {
    const opened = await openSession(init.modelPath, init.ep, init.threads);
    session = opened.session;
    post({ type: 'ready', provider: opened.provider, fallbackReason: opened.fallbackReason });
  } catch (error) {
    post({ type: 'fatal', message: error instanceof Error ? error.message : String(error) });
    port!.close();
    return;
  }
  port!.on('message', (message: ToWorker) => {
    // Messages are handled strictly one after another: run() is awaited and must not interleave.
    chain = chain.then(() => handle(message)).catch((error: unknown) => {
      post({ type: 'fatal', message: `inference failed: ${error instanceof Error ? error.message : String(error)}` });
    });
  });
}

void start();
