// Decodes any audio file ffmpeg can read to mono float32 PCM at a fixed rate, streamed from a child
// process (no temp files), with failures turned into one-line reasons a user understands.
import { spawn } from 'node:child_process';
import { promises as fs } from 'node:fs';
import { fsReason } from '../fs-reason';
import { resolveFfmpeg } from './ffmpeg';

/** An expected failure to read one file; `reason` is shown to the user as is. */
export class DecodeError extends Error {
  constructor(readonly reason: string) {
    super(reason);
    this.name = 'DecodeError';
  }
}

export interface DecodeOptions {
  readonly sampleRate: number;
  readonly signal?: AbortSignal;
}

/** What a finished decode learned besides the samples. */
export interface DecodeReport {
  /** Non-fatal problems, e.g. damaged frames skipped by the decoder. */
  readonly warnings: string[];
}

const STDERR_LIMIT = 8192;

/** Checks what can be checked without ffmpeg so the common failures get precise reasons. */
async function precheck(file: string): Promise<void> {
  let stat;
  try {
    stat = await fs.stat(file);
  } catch (error) {
    throw new DecodeError(fsReason(error));
  }
  if (stat.isDirectory()) throw new DecodeError('is a folder, not a file');
  if (!stat.isFile()) throw new DecodeError('is not a regular file');
  if (stat.size === 0) throw new DecodeError('empty file (0 bytes)');
  try {
    const handle = await fs.open(file, 'r');
    await handle.close();
  } catch (error) {
    throw new DecodeError(fsReason(error));
  }
}

/** Maps ffmpeg's stderr to the reason a user sees. Exported for tests. */
export function ffmpegReason(stderr: string, file: string): string {
  const text = stderr.split(`file:${file}`).join('<file>').split(file).join('<file>');
  if (/Permission denied/i.test(text)) return 'permission denied: the file cannot be read';
  if (/No such file or directory/i.test(text)) return 'file not found';
  if (/moov atom not found/i.test(text)) return 'incomplete MP4/M4A file (truncated, or still being copied)';
  if (/matches no streams|does not contain any stream|no audio stream/i.test(text)) return 'contains no audio stream';
  // How ffmpeg says "these bytes are not audio" depends on the extension it was given: random
  // bytes named .flac end with "Cannot determine format of input stream", named .ogg with "End of
  // file", named .mkv with "EBML header parsing failed".
  if (
    /Invalid data found when processing input|could not find codec parameters|Failed to read frame size|Cannot determine format of input stream|EBML header parsing failed|^<file>: End of file$/im.test(
      text,
    )
  )
    return 'not an audio file ffmpeg can read (damaged, or not audio)';
  if (/Decoder \(codec [^)]*\) not found|Unknown decoder/i.test(text)) return 'audio codec not supported by this ffmpeg';
  const line = text
    .split('\n')
    .map((l) => l.trim())
    .find((l) => l.length > 0);
  return line ? `could not decode: ${line.replace(/^<file>:\s*/, '')}` : 'could not decode the file';
}

/**
 * One resampler does both jobs: soxr at 20-bit precision is the closest to the reference extractor's
 * (soxr "HQ"), and rematrix_maxval=1 makes the downmix the mean of the channels (as the reference
 * does) instead of ffmpeg's default -3 dB sum.
 */
function resampleFilter(sampleRate: number): string {
  return `aresample=${sampleRate}:resampler=soxr:precision=20:rematrix_maxval=1,aformat=sample_fmts=flt:channel_layouts=mono`;
}

/** The output options of one raw float32 stream. */
const RAW_OUT = ['-f', 'f32le', '-acodec', 'pcm_f32le'];

/** The file descriptor ffmpeg writes output `k` to: stdout, then 3, 4, ... (2 is its stderr). */
function outputFd(k: number): number {
  return k === 0 ? 1 : k + 2;
}

function ffmpegArgs(file: string, sampleRates: readonly number[]): string[] {
  // The file: prefix stops ffmpeg from reading "name:with:colons" as a protocol.
  const head = ['-nostdin', '-hide_banner', '-loglevel', 'error', '-i', `file:${file}`];
  if (sampleRates.length === 1) {
    return [...head, '-map', '0:a:0', '-vn', '-sn', '-dn', '-af', resampleFilter(sampleRates[0]!), ...RAW_OUT, 'pipe:1'];
  }
  // One decode, split once, resampled per rate: each branch runs the same filter as a single output.
  const labels = sampleRates.map((_, k) => `[s${k}]`).join('');
  const branches = sampleRates.map((rate, k) => `[s${k}]${resampleFilter(rate)}[o${k}]`).join(';');
  const outputs = sampleRates.flatMap((_, k) => ['-map', `[o${k}]`, ...RAW_OUT, `pipe:${outputFd(k)}`]);
  return [...head, '-filter_complex', `[0:a:0]asplit=${sampleRates.length}${labels};${branches}`, ...outputs];
}

/** A chunk of one of the decoded streams: `stream` indexes the sample rates asked for. */
export interface RateChunk {
  readonly stream: number;
  readonly samples: Float32Array;
}

/** Float32 chunks of a byte stream; bytes of a sample split across reads are carried over. */
async function* floatChunks(source: AsyncIterable<Buffer>): AsyncGenerator<Float32Array, void, undefined> {
  let carry: Buffer | undefined;
  for await (const data of source) {
    const bytes = carry ? Buffer.concat([carry, data]) : data;
    const whole = bytes.length - (bytes.length % 4);
    carry = whole < bytes.length ? Buffer.from(bytes.subarray(whole)) : undefined;
    if (whole === 0) continue;
    // Copy into a fresh, aligned buffer that the consumer may transfer to a worker.
    const chunk = new Float32Array(whole / 4);
    new Uint8Array(chunk.buffer).set(bytes.subarray(0, whole));
    yield chunk;
  }
}

/** Interleaves several chunk streams in arrival order; each is read only when asked for more. */
async function* merged(sources: Array<AsyncIterable<Buffer>>): AsyncGenerator<RateChunk, void, undefined> {
  const iterators = sources.map((s) => floatChunks(s));
  const next = (k: number) => iterators[k]!.next().then((result) => ({ k, result }));
  const pending = new Map(iterators.map((_, k) => [k, next(k)]));
  try {
    while (pending.size > 0) {
      const { k, result } = await Promise.race(pending.values());
      if (result.done) {
        pending.delete(k);
        continue;
      }
      pending.set(k, next(k));
      yield { stream: k, samples: result.value };
    }
  } finally {
    // Not awaited: a stream still waiting for data ends when the caller kills ffmpeg.
    for (const it of iterators) void it.return(undefined).catch(() => undefined);
  }
}

/**
 * Streams a file as mono float32 chunks at each of `sampleRates`, from one ffmpeg process (one
 * decode, one output pipe per rate). Throws DecodeError for expected failures. Stopping the
 * iteration early kills ffmpeg. `report` is filled in when the iteration completes.
 */
export async function* decodePcmRates(
  file: string,
  options: { readonly sampleRates: readonly number[]; readonly signal?: AbortSignal },
  report?: { warnings: string[] },
): AsyncGenerator<RateChunk, void, undefined> {
  if (options.sampleRates.length === 0) throw new Error('decodePcmRates: no sample rate asked for');
  await precheck(file);
  const ffmpeg = resolveFfmpeg();
  const outputs = options.sampleRates.length;
  const stdio: Array<'ignore' | 'pipe'> = ['ignore', 'pipe', 'pipe', ...Array.from({ length: Math.max(0, outputs - 1) }, () => 'pipe' as const)];
  const child = spawn(ffmpeg.path, ffmpegArgs(file, options.sampleRates), { stdio, signal: options.signal });
  let stderr = '';
  child.stderr!.setEncoding('utf8');
  child.stderr!.on('data', (text: string) => {
    if (stderr.length < STDERR_LIMIT) stderr += text;
  });
  const exited = new Promise<{ code: number | null; spawnError?: Error }>((resolve) => {
    child.once('error', (error) => resolve({ code: null, spawnError: error }));
    child.once('close', (code) => resolve({ code }));
  });
  const sources = options.sampleRates.map((_, k) => child.stdio[outputFd(k)] as unknown as AsyncIterable<Buffer>);

  let samples = 0;
  let finished = false;
  try {
    for await (const chunk of merged(sources)) {
      if (chunk.stream === 0) samples += chunk.samples.length;
      yield chunk;
    }
    const { code, spawnError } = await exited;
    finished = true;
    if (options.signal?.aborted) throw new DecodeError('cancelled');
    if (spawnError) throw new DecodeError(`could not start ffmpeg: ${spawnError.message}`);
    if (code !== 0) throw new DecodeError(ffmpegReason(stderr, file));
    if (samples === 0) throw new DecodeError('no audio could be decoded (the file is truncated or damaged)');
    if (stderr.trim().length > 0 && report) {
      report.warnings.push('the file has decoding errors (damaged or truncated); tags come from the part that decoded');
    }
  } finally {
    if (!finished) {
      child.kill('SIGKILL');
      await exited;
    }
  }
}

/**
 * Streams a file as mono float32 chunks at `sampleRate`. Throws DecodeError for expected failures.
 * Stopping the iteration early kills ffmpeg. `report` is filled in when the iteration completes.
 */
export async function* decodePcm(
  file: string,
  options: DecodeOptions,
  report?: { warnings: string[] },
): AsyncGenerator<Float32Array, void, undefined> {
  for await (const chunk of decodePcmRates(file, { sampleRates: [options.sampleRate], signal: options.signal }, report)) {
    yield chunk.samples;
  }
}

/** Decodes a whole file into one array; for tests and small files only. */
export async function decodeAll(file: string, options: DecodeOptions): Promise<Float32Array> {
  const parts: Float32Array[] = [];
  let total = 0;
  for await (const chunk of decodePcm(file, options)) {
    parts.push(chunk);
    total += chunk.length;
  }
  const out = new Float32Array(total);
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}
