// `npm run bench`: throughput and memory of the tagging engine on real music, side by side in one
// run: each model alone (exact and reduced precision), the default set end to end, the inference
// floor of each (the model alone on pre-computed inputs), and musicnn's own Python tagger.
// Prints figures; it asserts nothing. Options: --minutes N (audio to tag, default 20),
// --skip-reference, --skip-long, --sessions, --threads, --batch.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { decodePcm } from '../src-main/audio/decode';
import { resolveFfmpeg } from '../src-main/audio/ffmpeg';
import { DEFAULT_BATCH_SIZE, TaggingEngine, type ModelChoice } from '../src-main/inference/engine';
import { loadModelBundle } from '../src-main/inference/manifest';
import { tagFiles } from '../src-main/tagging/batch';
import { DEFAULT_MODEL_DIR, EFFICIENTAT_MODEL_DIR, REPO_ROOT, SHARED_AUDIO, tempDir } from '../test-support/fixtures';
import { inferenceFloor } from './floor';

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

interface Config {
  readonly label: string;
  readonly models: readonly ModelChoice[];
}

interface Shape {
  readonly sessions: number;
  readonly threads: number;
  readonly batchSize: number;
}

/** Tags `files` end to end with a model set; real time factor, tracks/s, RSS and event-loop delay. */
async function endToEnd(config: Config, clips: string[], files: string[], audioSec: number, shape: Shape) {
  const engine = await TaggingEngine.open({ models: config.models, ep: 'cpu', ...shape });
  await tagFiles(engine, clips.slice(0, 2), { onOutcome: () => undefined }); // warm-up, untimed
  const loop = monitorEventLoopDelay({ resolution: 5 });
  loop.enable();
  let failures = 0;
  const started = performance.now();
  const run = await withPeakRss(() => tagFiles(engine, files, { onOutcome: (o) => void (o.status === 'error' && failures++) }));
  const sec = (performance.now() - started) / 1000;
  loop.disable();
  const realtime = audioSec / sec;
  line(`  ${config.label.padEnd(34)} ${fmt(realtime).padStart(7)}x real time, ${fmt(files.length / sec, 2)} tracks/s, peak RSS ${fmt(run.peakRss / MB, 0)} MB, event loop p99 ${fmt(loop.percentile(99) / 1e6, 1)} ms${failures ? `, ${failures} failures` : ''}`);
  return { realtime, engine };
}

/** musicnn's own tagger (Python + TensorFlow) on the same files; undefined when it cannot run. */
function referenceTagger(files: string[]): number | undefined {
  const venv = spawnSync('bash', [join(REPO_ROOT, 'models/musicnn-msd/export/venv.sh')], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  const python = venv.stdout.trim().split('\n').pop();
  if (venv.status !== 0 || !python) {
    line(`  unavailable: the Python environment could not be created (exit ${venv.status})`);
    return undefined;
  }
  const ref = spawnSync(python, [join(REPO_ROOT, 'models/musicnn-msd/export/reference_tagger.py'), '--json', ...files], {
    encoding: 'utf8',
    maxBuffer: 64 * MB,
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  const report = JSON.parse(ref.stdout.trim().split('\n').pop() ?? '{}') as { audio_seconds?: number; wall_seconds?: number; model_load_seconds?: number };
  if (ref.status !== 0 || !report.wall_seconds || !report.audio_seconds) {
    line(`  failed (exit ${ref.status})`);
    return undefined;
  }
  const realtime = report.audio_seconds / report.wall_seconds;
  line(`  ${fmt(realtime)}x real time over ${fmt(report.wall_seconds)} s (its per-call graph build + checkpoint restore, ${fmt(report.model_load_seconds ?? 0, 2)} s, is part of each file's time, as musicnn runs it)`);
  return realtime;
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
  const shape: Shape = { sessions: Number(opts.sessions ?? cpus().length), threads: Number(opts.threads ?? 1), batchSize: Number(opts.batch ?? DEFAULT_BATCH_SIZE) };
  const musicnn = await loadModelBundle(DEFAULT_MODEL_DIR);
  const reduced = musicnn.precision !== 'exact' ? musicnn.precision : undefined;

  line(`eno tagging benchmark — ${cpus().length} cores (${cpus()[0]?.model.trim()}), Node ${process.version}`);
  line(`ffmpeg: ${resolveFfmpeg().source} (${resolveFfmpeg().path})`);
  line(`input: ${clips.length} clips of ${SHARED_AUDIO}/music x ${repeats} = ${files.length} tracks, ${fmt(audioSec / 60)} min of audio`);
  line(`engine: CPU provider, ${shape.sessions} session(s) x ${shape.threads} thread(s), batch ${shape.batchSize}`);
  line();

  // 1. End to end (decode + front ends + models + aggregation), as `eno tag` runs it.
  line('end to end (eno tag pipeline)');
  const configs: Config[] = [
    { label: 'musicnn exact alone', models: [{ dir: DEFAULT_MODEL_DIR, precision: 'exact' }] },
    ...(reduced ? [{ label: `musicnn ${reduced} alone`, models: [{ dir: DEFAULT_MODEL_DIR, precision: reduced }] }] : []),
    { label: 'mn04 alone', models: [{ dir: EFFICIENTAT_MODEL_DIR }] },
    ...(reduced ? [{ label: 'default set, exact (musicnn + mn04)', models: [{ dir: DEFAULT_MODEL_DIR, precision: 'exact' }, { dir: EFFICIENTAT_MODEL_DIR }] }] : []),
    { label: `default set (musicnn ${musicnn.precision} + mn04)`, models: [{ dir: DEFAULT_MODEL_DIR }, { dir: EFFICIENTAT_MODEL_DIR }] },
  ];
  const results = new Map<string, number>();
  let defaultEngine: TaggingEngine | undefined;
  for (const [i, config] of configs.entries()) {
    const { realtime, engine } = await endToEnd(config, clips, files, audioSec, shape);
    results.set(config.label, realtime);
    if (i === configs.length - 1) defaultEngine = engine;
    else await engine.close();
  }
  const defaultRealtime = results.get(configs[configs.length - 1]!.label)!;

  // 2. A 60-minute file with the default set: memory must stay flat (bounded chunks).
  if (!opts['skip-long'] && defaultEngine) {
    const tmp = tempDir('eno-bench-');
    const long = join(tmp.dir, 'sixty-minutes.mp3');
    const loops = Math.ceil(3600 / durations.get(join(SHARED_AUDIO, 'music', 'bensound-cute.mp3'))!) - 1;
    spawnSync(resolveFfmpeg().path, ['-v', 'error', '-stream_loop', String(loops), '-i', join(SHARED_AUDIO, 'music', 'bensound-cute.mp3'), '-c', 'copy', '-t', '3600', long]);
    const t0 = performance.now();
    const run = await withPeakRss(() => tagFiles(defaultEngine!, [long], { onOutcome: () => undefined }));
    line(`  60-minute MP3, default set: tagged in ${fmt((performance.now() - t0) / 1000)} s; RSS ${fmt(run.baseRss / MB, 0)} MB before, peak ${fmt(run.peakRss / MB, 0)} MB (+${fmt((run.peakRss - run.baseRss) / MB, 0)} MB)`);
    tmp.cleanup();
  }
  await defaultEngine?.close();

  // 3. Inference floors: each model alone on inputs computed beforehand, same pool shape.
  line();
  line('inference floor (model alone on pre-computed inputs)');
  const floors = new Map<string, number>();
  const floorOf = [
    { label: 'musicnn exact', dir: DEFAULT_MODEL_DIR, precision: 'exact' },
    ...(reduced ? [{ label: `musicnn ${reduced}`, dir: DEFAULT_MODEL_DIR, precision: reduced }] : []),
    { label: 'mn04', dir: EFFICIENTAT_MODEL_DIR, precision: 'default' },
  ];
  for (const f of floorOf) {
    const floor = await inferenceFloor(await loadModelBundle(f.dir, f.precision), clips, files, shape);
    floors.set(f.label, audioSec / floor.seconds);
    line(`  ${f.label.padEnd(34)} ${fmt(audioSec / floor.seconds).padStart(7)}x real time (${floor.patches} patches, ${fmt((floor.seconds * 1000 * shape.sessions) / floor.patches, 2)} ms per patch per session)`);
  }
  const setFloor = 1 / (1 / floors.get(reduced ? `musicnn ${reduced}` : 'musicnn exact')! + 1 / floors.get('mn04')!);
  line(`  ${'default set (both models)'.padEnd(34)} ${fmt(setFloor).padStart(7)}x real time (the two floors combined)`);

  // 4. musicnn's own tagger (Python + TensorFlow), on the same files.
  line();
  line('reference tagger (musicnn 0.1.0 extractor, Python venv; first run installs it)');
  const referenceRealtime = opts['skip-reference'] ? (line('  skipped (--skip-reference)'), undefined) : referenceTagger(files);

  line();
  line('summary (targets on a 2-core machine, CPU provider)');
  line(`  default set end to end:             ${fmt(defaultRealtime)}x real time (target >= 300x)`);
  line(`  default set end to end / its floor: ${fmt(defaultRealtime / setFloor, 2)}`);
  if (referenceRealtime) line(`  default set / musicnn's tagger:     ${fmt(defaultRealtime / referenceRealtime, 1)}x (target >= 10x)`);
  else line("  default set / musicnn's tagger:     not measured");
}

await main();
