// `eno tag <files or folders...>`: tags audio files in batch and writes one record per file.
// Exit status: 0 all tagged, 1 some files failed (or the engine could not start), 2 usage error,
// 130 interrupted by Ctrl-C (what finished is kept).
import { cpus } from 'node:os';
import { parseArgs } from 'node:util';
import { existsSync } from 'node:fs';
import { TaggingEngine } from '../inference/engine';
import { bundledModelDir, defaultModelSet } from '../inference/default-model';
import { ModelBundleError, type PrecisionChoice } from '../inference/manifest';
import type { ExecutionProviderChoice } from '../inference/worker-protocol';
import { ensureDataDir } from '../library/data-dir';
import { Library } from '../library/library';
import { expandPaths } from '../library/scan';
import { tagFiles } from '../tagging/batch';
import type { TagOutcome } from '../tagging/tag-file';
import { openSink, OutputError, type RecordSink } from './output';
import { PlainProgress, rates, TerminalProgress, type ProgressView } from './progress';
import { toRecord } from './records';
import type { CliIo } from './io';

export const TAG_USAGE = `usage: eno tag <files or folders...> [options]

Tags audio files (folders are scanned recursively for audio files).

options:
  --out FILE        write results to FILE: .jsonl (one JSON object per track) or .csv;
                    without it a table is printed on stdout
  --top K           how many top tags to show per track (default 5)
  --ep EP           execution provider: auto (CUDA when available, else CPU), cpu, cuda (default auto)
  --jobs N          tracks decoded and tagged at once (default: number of CPU cores)
  --model LIST      model bundles to tag with, in one pass over each file: folders or bundled
                    model ids, comma-separated or repeated (default: musicnn-msd,efficientat-mn04)
  --precision P     default (each bundle's own choice: reduced precision where it ships one that
                    keeps its tags) or exact (the full-precision models)
  --data-dir DIR    also record the results in the library kept in DIR (the app's library when
                    it is the app's data folder), so they show up in the app
  -h, --help        show this help

exit status: 0 all tracks tagged, 1 some files failed, 2 usage error, 130 interrupted`;

export interface TagOptions {
  readonly paths: readonly string[];
  readonly out: string | undefined;
  readonly topK: number;
  readonly ep: ExecutionProviderChoice;
  readonly jobs: number;
  /** Model bundle folders or bundled ids, in order; empty for the default set. */
  readonly models: readonly string[];
  readonly precision: PrecisionChoice;
  readonly dataDir: string | undefined;
}

/** Thrown for a bad command line; the message is printed with the usage. */
export class UsageError extends Error {}

function positiveInt(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!/^\d+$/.test(value) || Number(value) < 1) throw new UsageError(`${name} must be a whole number of at least 1, got "${value}"`);
  return Number(value);
}

/** Parses the arguments of `eno tag`; returns undefined when help was asked for. */
export function parseTagArgs(args: readonly string[]): TagOptions | undefined {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...args],
      allowPositionals: true,
      options: {
        out: { type: 'string' },
        top: { type: 'string' },
        ep: { type: 'string' },
        jobs: { type: 'string' },
        model: { type: 'string', multiple: true },
        precision: { type: 'string' },
        'data-dir': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (error) {
    throw new UsageError((error as Error).message.replace(/\. To specify a positional.*$/s, ''));
  }
  const v = parsed.values;
  if (v.help) return undefined;
  if (parsed.positionals.length === 0) throw new UsageError('give at least one file or folder to tag');
  const ep = v.ep ?? 'auto';
  if (ep !== 'auto' && ep !== 'cpu' && ep !== 'cuda') throw new UsageError(`--ep must be auto, cpu or cuda, got "${ep}"`);
  const precision = v.precision ?? 'default';
  if (precision !== 'default' && precision !== 'exact') throw new UsageError(`--precision must be default or exact, got "${precision}"`);
  const models = (v.model ?? []).flatMap((m) => m.split(',')).map((m) => m.trim());
  if (models.some((m) => m === '')) throw new UsageError('--model: empty model name in the list');
  if (v.out !== undefined && !/\.(jsonl|ndjson|csv)$/i.test(v.out)) {
    throw new UsageError(`--out ${v.out}: use a .jsonl or .csv file name`);
  }
  return {
    paths: parsed.positionals,
    out: v.out,
    topK: positiveInt('--top', v.top, 5),
    ep,
    jobs: positiveInt('--jobs', v.jobs, Math.max(1, cpus().length)),
    models,
    precision,
    dataDir: v['data-dir'],
  };
}

function describe(outcome: TagOutcome, topK: number): string {
  if (outcome.status === 'error') return `error  ${outcome.file}: ${outcome.reason}`;
  const record = toRecord(outcome, topK);
  const tags = record.status === 'ok' ? record.top.map((t) => t.tag).join(', ') : '';
  const note = outcome.content?.verdict === 'not music' ? ' not music' : '';
  return `ok     ${outcome.file}  (${tags})${note}`;
}

/** Runs `eno tag`; returns the exit status. */
export async function runTag(args: readonly string[], io: CliIo): Promise<number> {
  let options: TagOptions | undefined;
  try {
    options = parseTagArgs(args);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    io.stderr(`eno tag: ${error.message}\n\n${TAG_USAGE}\n`);
    return 2;
  }
  if (!options) {
    io.stdout(`${TAG_USAGE}\n`);
    return 0;
  }
  // A name that is not a folder but a bundled model's id means that bundle.
  const modelDirs = options.models.length > 0 ? options.models.map((m) => (existsSync(m) ? m : (bundledModelDir(m) ?? m))) : defaultModelSet();
  if (modelDirs.length === 0) {
    io.stderr('eno tag: the default models are not installed; pass --model DIR\n');
    return 2;
  }

  const progress: ProgressView = io.stderrIsTTY ? new TerminalProgress(io.stderrStream) : new PlainProgress(io.stderr);
  let sink: RecordSink;
  try {
    sink = openSink(options.out, options.topK, (text) => progress.around(() => io.stdout(text)));
  } catch (error) {
    if (!(error instanceof OutputError)) throw error;
    io.stderr(`eno tag: ${error.message}\n`);
    return 2;
  }

  let engine: TaggingEngine;
  try {
    engine = await TaggingEngine.open({
      models: modelDirs.map((dir) => ({ dir })),
      precision: options.precision,
      ep: options.ep,
      log: (line) => io.stderr(`eno: ${line}\n`),
    });
  } catch (error) {
    sink.close();
    const message = error instanceof Error ? error.message : String(error);
    io.stderr(`eno tag: ${message}\n`);
    return error instanceof ModelBundleError ? 2 : 1;
  }

  // With --data-dir the results also go into that library (without running its queue).
  let library: Library | undefined;
  const recording: Array<Promise<unknown>> = [];
  if (options.dataDir) {
    try {
      library = await Library.open({ dataDir: ensureDataDir({ explicit: options.dataDir }), engine, onEvent: () => undefined, watch: false, runQueue: false });
    } catch (error) {
      sink.close();
      await engine.close();
      io.stderr(`eno tag: cannot open the library in ${options.dataDir}: ${(error as Error).message}\n`);
      return 1;
    }
  }
  const started = performance.now();
  const files: string[] = [];
  let failed = 0;
  let tagged = 0;
  let done = 0;
  let audioSec = 0;
  // Tags learned in that library from the person's corrections are scored on each file too.
  const learned = library?.learnedScorer();
  const write = (outcome: TagOutcome): void => {
    const record = toRecord(outcome, options.topK);
    if (learned && outcome.status === 'ok' && record.status === 'ok') {
      sink.write({ ...record, learned: learned.suggest(`${outcome.modelId}@${outcome.modelVersion}`, outcome.embedding) });
    } else sink.write(record);
    if (library) {
      recording.push(
        library.importOutcome(outcome.file, outcome).catch((error: Error) => progress.message(`eno: not recorded in the library: ${outcome.file}: ${error.message}`)),
      );
    }
  };
  for await (const entry of expandPaths(options.paths)) {
    if (entry.kind === 'file') files.push(entry.path);
    else {
      failed++;
      write({ status: 'error', file: entry.path, reason: entry.reason });
      progress.message(`error  ${entry.path}: ${entry.reason}`);
    }
  }
  const total = files.length;
  if (total === 0) progress.message('eno tag: no audio files found');

  // Ctrl-C once: finish the tracks in flight, start no more. Twice: cancel those too.
  const stop = new AbortController();
  const cancel = new AbortController();
  const onSigint = (): void => {
    if (!stop.signal.aborted) {
      stop.abort();
      progress.message('eno: stopping after the tracks in flight (Ctrl-C again to cancel them)');
    } else {
      cancel.abort();
      progress.message('eno: cancelling the tracks in flight');
    }
  };
  process.on('SIGINT', onSigint);
  try {
    await tagFiles(engine, files, {
      concurrency: options.jobs,
      stop: stop.signal,
      cancel: cancel.signal,
      onOutcome: (outcome) => {
        done++;
        if (outcome.status === 'error') failed++;
        else {
          tagged++;
          audioSec += outcome.durationSec;
        }
        write(outcome);
        const elapsedSec = (performance.now() - started) / 1000;
        progress.update({ done, total, failed, audioSec, elapsedSec }, describe(outcome, options.topK));
      },
    });
  } finally {
    process.off('SIGINT', onSigint);
    progress.clear();
    sink.close();
    await Promise.all(recording);
    // The library reads titles, artists and albums in the background: let it finish first, or the
    // last files would be left without them until the app next opens the library.
    await library?.settled();
    await library?.close();
    await engine.close();
  }
  const stopping = stop.signal.aborted;

  const elapsedSec = (performance.now() - started) / 1000;
  const r = rates({ done, total, failed, audioSec, elapsedSec });
  const notDone = total - done;
  io.stderr(
    `eno: ${tagged} tagged, ${failed} failed` +
      (stopping ? `, ${notDone} not done (interrupted)` : '') +
      ` in ${elapsedSec.toFixed(1)} s (${r.tracksPerSec.toFixed(2)} tracks/s, ${Math.round(r.realtime)}x real time)` +
      (options.out ? `; results in ${options.out}` : '') +
      '\n',
  );
  if (stopping) return 130;
  return failed > 0 ? 1 : 0;
}
