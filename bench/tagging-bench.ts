// `npm run bench`: throughput and memory of the tagging engine on real music, against the model
// alone on pre-computed inputs (the inference floor) and against musicnn's own Python tagger.
// Prints figures; it asserts nothing. Options: --minutes N (audio to tag, default 20),
// --skip-reference, --skip-long.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { decodePcm } from '../src-main/audio/decode';
import { resolveFfmpeg } from '../src-main/audio/ffmpeg';
import { LogMelPatcher } from '../src-main/audio/logmel';
import { DEFAULT_BATCH_SIZE, TaggingEngine } from '../src-main/inference/engine';
import { logMelSpecOf } from '../src-main/inference/manifest';
import { tagFiles } from '../src-main/tagging/batch';
import { DEFAULT_MODEL_DIR, REPO_ROOT, SHARED_AUDIO, tempDir } from '../test-support/fixtures';
import { startWorkerThread } from '../src-main/worker-entry';

const { values: opts } = parseArgs({
  options: {
    minutes: { type: 'string', default: '20' },
    'skip-reference': { type: 'boolean', default: false },
    'skip-long': { type: 'boolean', default: false },
    sessions: { type: 'string' },
    threads: { type: 'string' },
    batch: { type: 'string' },
  },
});

const MB = 1024 * 1024;
const line = (text = ''): void => void process.stdout.write(`${text}\n`);
const fmt = (x: number, digits = 1): string => x.toFixed(digits);

/** Samples the process RSS (main thread and inference workers share it) while `work` runs. */
async function withPeakRss<T>(work: () => Promise<T>): Promise<{ result: T; peakRss: number; baseRss: number }> {
  const baseRss = process.memoryUsage.rss();
  let peakRss = baseRss;
  const timer = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage.rss())), 20);
  try {
    const result = await work();
    peakRss = Math.max(peakRss, process.memoryUsage.rss());
    return { result, peakRss, baseRss };
  } finally {
    clearInterval(timer);
  }
}

async function durationOf(file: string): Promise<number> {
  let samples = 0;
  for await (const chunk of decodePcm(file, { sampleRate: 16000 })) samples += chunk.length;
  return samples / 16000;
}

async function main(): Promise<void> {
  const clips = readdirSync(join(SHARED_AUDIO, 'music'))
    .sort()
    .map((f) => join(SHARED_AUDIO, 'music', f));
  const durations = new Map<string, number>();
  for (const c of clips) durations.set(c, await durationOf(c));
  const oneSet = clips.reduce((a, c) => a + durations.get(c)!, 0);
  const repeats = Math.max(1, Math.ceil((Number(opts.minutes) * 60) / oneSet));
  const files = Array.from({ length: repeats }, () => clips).flat();
  const audioSec = files.reduce((a, c) => a + durations.get(c)!, 0);
  const sessions = Number(opts.sessions ?? cpus().length);
  const threads = Number(opts.threads ?? 1);
  const batchSize = Number(opts.batch ?? DEFAULT_BATCH_SIZE);

  line(`eno tagging benchmark — ${cpus().length} cores (${cpus()[0]?.model.trim()}), Node ${process.version}`);
  line(`ffmpeg: ${resolveFfmpeg().source} (${resolveFfmpeg().path})`);
  line(`input: ${clips.length} clips of ${SHARED_AUDIO}/music x ${repeats} = ${files.length} tracks, ${fmt(audioSec / 60)} min of audio`);
  line(`engine: CPU provider, ${sessions} session(s) x ${threads} thread(s), batch ${batchSize}`);
  line();

  // 1. End to end: decode + log-mel + model + aggregation, as `eno tag` runs it.
  const engine = await TaggingEngine.open({ modelDir: DEFAULT_MODEL_DIR, ep: 'cpu', sessions, threads, batchSize });
  await tagFiles(engine, clips.slice(0, 2), { onOutcome: () => undefined }); // warm-up, untimed
  const loop = monitorEventLoopDelay({ resolution: 5 });
  loop.enable();
  let failures = 0;
  const started = performance.now();
  const e2e = await withPeakRss(() =>
    tagFiles(engine, files, { onOutcome: (o) => void (o.status === 'error' && failures++) }),
  );
  const e2eSec = (performance.now() - started) / 1000;
  loop.disable();
  const e2eRealtime = audioSec / e2eSec;
  line('end to end (eno tag pipeline)');
  line(`  ${fmt(e2eRealtime)}x real time (audio-seconds per wall-second), ${fmt(files.length / e2eSec, 2)} tracks/s, ${failures} failures`);
  line(`  peak RSS ${fmt(e2e.peakRss / MB, 0)} MB (the whole Node process with its workers; ffmpeg children not included)`);
  line(`  event-loop delay while tagging: p99 ${fmt(loop.percentile(99) / 1e6, 1)} ms, max ${fmt(loop.max / 1e6, 1)} ms`);

  // 2. A 60-minute file: memory must stay flat (bounded chunks).
  if (!opts['skip-long']) {
    const tmp = tempDir('eno-bench-');
    const long = join(tmp.dir, 'sixty-minutes.mp3');
    const loops = Math.ceil(3600 / durations.get(join(SHARED_AUDIO, 'music', 'bensound-cute.mp3'))!) - 1;
    spawnSync(resolveFfmpeg().path, ['-v', 'error', '-stream_loop', String(loops), '-i', join(SHARED_AUDIO, 'music', 'bensound-cute.mp3'), '-c', 'copy', '-t', '3600', long]);
    const t0 = performance.now();
    const run = await withPeakRss(() => tagFiles(engine, [long], { onOutcome: () => undefined }));
    line(`60-minute MP3: tagged in ${fmt((performance.now() - t0) / 1000)} s; RSS ${fmt(run.baseRss / MB, 0)} MB before, peak ${fmt(run.peakRss / MB, 0)} MB (+${fmt((run.peakRss - run.baseRss) / MB, 0)} MB)`);
    tmp.cleanup();
  }
  await engine.close();

  // 3. Inference floor: the model alone on log-mel patches computed beforehand, same pool shape.
  const bundleManifest = engine.bundle.manifest;
  const spec = logMelSpecOf(bundleManifest)!;
  const patchesOf = new Map<string, Float32Array[]>();
  for (const c of clips) {
    const list: Float32Array[] = [];
    const patcher = new LogMelPatcher(spec, (p) => list.push(p));
    for await (const chunk of decodePcm(c, { sampleRate: spec.sampleRate })) patcher.push(chunk);
    patcher.end();
    patchesOf.set(c, list);
  }
  const all = files.flatMap((f) => patchesOf.get(f)!);
  const patchSize = spec.patchFrames * spec.nMels;
  const workers = await Promise.all(
    Array.from({ length: sessions }, async () => {
      const w = startWorkerThread(import.meta.url, 'floor-worker.ts', 'floor-worker', {
        workerData: {
          modelPath: engine.bundle.modelPath,
          inputName: bundleManifest.input.name,
          patchShape: [spec.patchFrames, spec.nMels],
          threads,
          batchSize,
        },
      });
      await new Promise((resolve) => w.once('message', resolve));
      return w;
    }),
  );
  // Warm each session, then split the patches evenly and time until the last worker finishes.
  const share = (i: number): Float32Array => {
    const mine = all.filter((_, k) => k % workers.length === i);
    const data = new Float32Array(mine.length * patchSize);
    mine.forEach((p, k) => data.set(p, k * patchSize));
    return data;
  };
  const runAll = (inputs: Float32Array[]): Promise<unknown[]> =>
    Promise.all(workers.map((w, i) => new Promise((resolve) => { w.once('message', resolve); w.postMessage({ patches: inputs[i] }); })));
  await runAll(workers.map(() => all[0]!.slice()));
  const inputs = workers.map((_, i) => share(i));
  const f0 = performance.now();
  await runAll(inputs);
  const floorSec = (performance.now() - f0) / 1000;
  workers.forEach((w) => w.postMessage('close'));
  const floorRealtime = audioSec / floorSec;
  line();
  line('inference floor (model alone on pre-computed log-mel patches)');
  line(`  ${all.length} patches in ${fmt(floorSec, 2)} s: ${fmt(floorRealtime)}x real time, ${fmt((floorSec * 1000) / all.length, 1)} ms per patch per process`);

  // 4. musicnn's own tagger (Python + TensorFlow), on the same files.
  let referenceRealtime: number | undefined;
  line();
  if (opts['skip-reference']) {
    line('reference tagger: skipped (--skip-reference)');
  } else {
    line('reference tagger (musicnn 0.1.0 extractor, Python venv; first run installs it)');
    const venv = spawnSync('bash', [join(REPO_ROOT, 'models/musicnn-msd/export/venv.sh')], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
    const python = venv.stdout.trim().split('\n').pop();
    if (venv.status !== 0 || !python) {
      line(`  unavailable: the Python environment could not be created (exit ${venv.status})`);
    } else {
      const ref = spawnSync(python, [join(REPO_ROOT, 'models/musicnn-msd/export/reference_tagger.py'), '--json', ...files], {
        encoding: 'utf8',
        maxBuffer: 64 * MB,
        stdio: ['ignore', 'pipe', 'ignore'],
      });
      const report = JSON.parse(ref.stdout.trim().split('\n').pop() ?? '{}') as { audio_seconds?: number; wall_seconds?: number; model_load_seconds?: number };
      if (ref.status !== 0 || !report.wall_seconds || !report.audio_seconds) {
        line(`  failed (exit ${ref.status})`);
      } else {
        referenceRealtime = report.audio_seconds / report.wall_seconds;
        line(`  ${fmt(referenceRealtime)}x real time over ${fmt(report.wall_seconds)} s (its per-call graph build + checkpoint restore, ${fmt(report.model_load_seconds ?? 0, 2)} s, is part of each file's time, as musicnn runs it)`);
      }
    }
  }

  line();
  line('summary (targets on a 2-core machine, CPU provider)');
  line(`  end to end:            ${fmt(e2eRealtime)}x real time (target >= 150x)`);
  line(`  end to end / floor:    ${fmt(e2eRealtime / floorRealtime, 2)} (target >= 0.7)`);
  if (referenceRealtime) line(`  end to end / reference: ${fmt(e2eRealtime / referenceRealtime, 1)}x (target >= 10x)`);
  else line('  end to end / reference: not measured');
}

await main();
