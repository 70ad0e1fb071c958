// Music files for the tag-writing tests, made with ffmpeg's own encoders (a 440 Hz tone with a
// title, an artist, a genre, a ReplayGain value and, where the container holds one, a cover), and
// independent readers of what ends up in them: mutagen (from a pinned venv) and ffprobe.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { TAG_CATEGORIES, type TagCategory } from '../src-preload/contract';
import { resolveFfmpeg } from '../src-main/audio/ffmpeg';
import type { TaggedTrack } from '../src-main/tagging/tag-file';
import { REPO_ROOT } from './fixtures';

/** One format the writer supports, as ffmpeg makes it. */
export interface TestFormat {
  readonly name: string;
  readonly ext: string;
  readonly codec: string;
  readonly args: readonly string[];
  /** ffmpeg can attach a cover picture in this container. */
  readonly cover: boolean;
}

export const TEST_FORMATS: readonly TestFormat[] = [
  { name: 'MP3 ID3v2.4', ext: 'mp3', codec: 'libmp3lame', args: ['-id3v2_version', '4'], cover: true },
  { name: 'MP3 ID3v2.3', ext: 'mp3', codec: 'libmp3lame', args: ['-id3v2_version', '3'], cover: true },
  { name: 'FLAC', ext: 'flac', codec: 'flac', args: [], cover: true },
  { name: 'Ogg Vorbis', ext: 'ogg', codec: 'libvorbis', args: [], cover: false },
  { name: 'Opus', ext: 'opus', codec: 'libopus', args: [], cover: false },
  { name: 'M4A AAC', ext: 'm4a', codec: 'aac', args: [], cover: true },
  { name: 'M4A ALAC', ext: 'm4a', codec: 'alac', args: [], cover: true },
  { name: 'WAV', ext: 'wav', codec: 'pcm_s16le', args: [], cover: false },
  { name: 'AIFF', ext: 'aiff', codec: 'pcm_s16be', args: ['-write_id3v2', '1'], cover: false },
];

function run(binary: string, args: readonly string[]): string {
  const r = spawnSync(binary, args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (r.status !== 0) throw new Error(`${binary} ${args.join(' ')} failed: ${r.stderr}`);
  return r.stdout;
}

/** A small PNG to use as cover art. */
export function makeCover(dir: string): string {
  const path = join(dir, 'cover.png');
  run(resolveFfmpeg().path, ['-v', 'error', '-f', 'lavfi', '-i', 'color=c=red:s=64x64', '-frames:v', '1', '-y', path]);
  return path;
}

/** Makes a tone file in a format with tags (and a cover where the container holds one). */
export function makeTaggedFile(path: string, format: TestFormat, options: { seconds?: number; cover?: string; genre?: string } = {}): string {
  const pic = format.cover && options.cover ? ['-i', options.cover, '-map', '0:a', '-map', '1:v', '-c:v', 'copy', '-disposition:v', 'attached_pic'] : [];
  run(resolveFfmpeg().path, [
    '-v', 'error',
    '-f', 'lavfi', '-i', `sine=frequency=440:duration=${options.seconds ?? 4}:sample_rate=44100`,
    ...pic,
    '-ac', '2', '-c:a', format.codec, ...format.args,
    '-metadata', 'title=Tone Title', '-metadata', 'artist=Tone Artist',
    ...(options.genre === undefined ? ['-metadata', 'genre=Jazz'] : options.genre ? ['-metadata', `genre=${options.genre}`] : []),
    '-metadata', 'REPLAYGAIN_TRACK_GAIN=-6.50 dB',
    '-y', path,
  ]);
  return path;
}

/** MD5 of the audio packets, as ffmpeg demuxes them. */
export function audioMd5(path: string): string {
  return run(resolveFfmpeg().path, ['-v', 'error', '-i', path, '-map', '0:a', '-c', 'copy', '-f', 'md5', '-']).trim();
}

let mutagenPython: string | undefined;

/** The pinned mutagen venv's python (created on first use). */
export function mutagenPythonPath(): string {
  if (mutagenPython) return mutagenPython;
  const r = spawnSync('bash', [join(REPO_ROOT, 'scripts', 'python-venv.sh'), '@mutagen', join(REPO_ROOT, 'test-support', 'mutagen', 'requirements.txt')], {
    encoding: 'utf8',
    timeout: 10 * 60_000,
  });
  const last = r.stdout.trim().split('\n').pop();
  if (r.status !== 0 || !last) throw new Error(`creating the mutagen venv failed: ${r.stderr.slice(-3000)}`);
  mutagenPython = last;
  return last;
}

/** What mutagen reads from a file. */
export interface MutagenDump {
  readonly type: string | null;
  readonly id3_version: string | null;
  readonly tags: Record<string, string[]>;
  readonly pictures: string[];
}

/** Every tag of the files as mutagen reads them. */
export function mutagenTags(...paths: string[]): MutagenDump[] {
  const out = run(mutagenPythonPath(), [join(REPO_ROOT, 'test-support', 'mutagen', 'dump_tags.py'), ...paths]);
  return out.trim().split('\n').map((line) => JSON.parse(line) as MutagenDump);
}

/** The ffprobe binary shipped by @ffprobe-installer. */
export function ffprobePath(): string {
  const require = createRequire(import.meta.url);
  return (require('@ffprobe-installer/ffprobe') as { path: string }).path;
}

/** The format-level and first audio stream's tags as ffprobe reads them (keys lower-cased). */
export function ffprobeTags(path: string): Record<string, string> {
  const out = JSON.parse(run(ffprobePath(), ['-v', 'error', '-show_entries', 'format_tags:stream_tags', '-of', 'json', path])) as {
    format?: { tags?: Record<string, string> };
    streams?: Array<{ tags?: Record<string, string> }>;
  };
  const tags: Record<string, string> = {};
  for (const source of [...(out.streams ?? []).map((s) => s.tags), out.format?.tags]) {
    for (const [k, v] of Object.entries(source ?? {})) tags[k.toLowerCase()] = v;
  }
  return tags;
}

/** A tagging result without running a model: these tags, categories and scores (threshold 0.5). */
export function fakeOutcome(file: string, tags: ReadonlyArray<{ name: string; category: TagCategory; score: number }>): TaggedTrack {
  const ranked = [...tags].map((t) => ({ ...t, threshold: 0.5 })).sort((a, b) => b.score - a.score);
  const byCategory = Object.fromEntries(TAG_CATEGORIES.map((c) => [c, ranked.filter((t) => t.category === c && t.score >= 0.5)]));
  const model = {
    modelId: 'fake-model',
    modelVersion: '1',
    precision: 'exact',
    patches: 2,
    patchSec: 3,
    tagNames: tags.map((t) => t.name),
    taggram: new Float32Array([...tags.map((t) => t.score), ...tags.map((t) => t.score)]),
    scores: new Float64Array(tags.map((t) => t.score)),
    embedding: new Float32Array(4),
    tags: byCategory as unknown as TaggedTrack['tags'],
    ranked,
  };
  // One model in the set, no music verdict: the shape a one-model tagging run gives.
  return { ...model, status: 'ok', file, durationSec: 6, provider: 'cpu', models: [model], content: undefined, peaks: new Float32Array([-0.5, 0.5]), warnings: [] };
}
