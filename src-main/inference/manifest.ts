// Model bundles: a folder with model.onnx and eno-model.json. The manifest says what input the graph
// wants, which outputs carry the tags and the embedding, and the tag vocabulary with thresholds.
import { createHash } from 'node:crypto';
import { createReadStream, promises as fs } from 'node:fs';
import { join, resolve } from 'node:path';
import { z } from 'zod';
import type { LogMelSpec } from '../audio/logmel';
import type { AudioWindowing } from '../audio/window-logmel';

export const TAG_CATEGORIES = ['genre', 'descriptor', 'era', 'vocal', 'instrument', 'other'] as const;
export type TagCategory = (typeof TAG_CATEGORIES)[number];

export const MANIFEST_FILE = 'eno-model.json';

const tagSchema = z.object({
  name: z.string().min(1),
  category: z.enum(TAG_CATEGORIES),
  threshold: z.number().min(0).max(1),
  /** Column of the activations output; default: the tag's position in the list. */
  index: z.number().int().min(0).optional(),
});

const LOG10_FORMULA = /^log10\(1\s*\+\s*([0-9.e+]+)\s*\*\s*x\)$/;
const LN_FORMULA = /^ln\(x\s*\+\s*([0-9.e+-]+)\)$/;
const NORMALIZE_FORMULA = /^\(x\s*([+-])\s*([0-9.e+]+)\)\s*\/\s*([0-9.e+]+)$/;

const logMelInputSchema = z.object({
  kind: z.literal('logmel'),
  name: z.string().min(1),
  sample_rate: z.number().int().positive(),
  /** Coefficient c of y[n] = x[n+1] - c x[n] before the STFT (schema 2); none when absent. */
  pre_emphasis: z.number().min(0).max(1).optional(),
  n_fft: z.number().int().positive(),
  /** Samples the window covers, centred in the n_fft frame (schema 2); default n_fft. */
  win_length: z.number().int().positive().optional(),
  hop: z.number().int().positive(),
  window: z.enum(['hann', 'hann-symmetric']).default('hann'),
  center: z.boolean().default(true),
  pad_mode: z.enum(['constant', 'reflect']).default('constant'),
  power: z.literal(2).default(2),
  n_mels: z.number().int().positive(),
  mel_scale: z.enum(['slaney', 'htk', 'kaldi']).default('slaney'),
  mel_norm: z.enum(['slaney']).nullable().default('slaney'),
  fmin: z.number().min(0).default(0),
  fmax: z.number().positive().optional(),
  log: z.string().refine((f) => LOG10_FORMULA.test(f) || LN_FORMULA.test(f), 'log must read log10(1+C*x) or ln(x+E)'),
  /** Applied after the log (schema 2), e.g. "(x+4.5)/5". */
  normalize: z.string().regex(NORMALIZE_FORMULA, 'normalize must read (x+A)/B or (x-A)/B').optional(),
  float16_before_log: z.boolean().default(false),
  /**
   * `spectrogram`: one STFT over the whole track, cut into patches of patch_frames frames.
   * `audio` (schema 2): the audio is cut into windows of window_samples every window_hop_samples,
   * and each window gets its own STFT of patch_frames frames.
   */
  segment: z.enum(['spectrogram', 'audio']).default('spectrogram'),
  window_samples: z.number().int().positive().optional(),
  window_hop_samples: z.number().int().positive().optional(),
  /** What happens to audio after the last whole window (segment "audio"). */
  tail: z.enum(['drop', 'end-aligned']).default('drop'),
  patch_frames: z.number().int().positive(),
  patch_hop_frames: z.number().int().positive(),
  short_clip: z.literal('repeat-pad').default('repeat-pad'),
});

const waveformInputSchema = z.object({
  kind: z.literal('waveform'),
  name: z.string().min(1),
  sample_rate: z.number().int().positive(),
  patch_samples: z.number().int().positive(),
  patch_hop_samples: z.number().int().positive(),
  short_clip: z.literal('repeat-pad').default('repeat-pad'),
});

/** A class of the activations output that is not a tag but answers a question about the audio. */
const detectorSchema = z.object({ name: z.string().min(1), index: z.number().int().min(0) });

/** A lighter copy of the model (quantised or half precision) that the bundle ships beside it. */
const precisionSchema = z.object({
  model_file: z.string().min(1),
  sha256: z
    .string()
    .regex(/^[0-9a-f]{64}$/)
    .optional(),
  description: z.string().optional(),
});

export const manifestSchema = z.object({
  /** 1: the original format; 2 adds front-end fields, tag columns, detectors and precisions. */
  schema: z.union([z.literal(1), z.literal(2)]).default(1),
  id: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'id may use letters, digits, ".", "_" and "-"'),
  version: z.string().min(1),
  name: z.string().optional(),
  source: z.string().min(1),
  description: z.string().optional(),
  input: z.discriminatedUnion('kind', [logMelInputSchema, waveformInputSchema]),
  outputs: z.object({
    activations: z.string().min(1),
    /** Columns of the activations output, when they are more than the tags (schema 2). */
    activations_dim: z.number().int().positive().optional(),
    embedding: z.string().min(1).optional(),
    embedding_dim: z.number().int().positive().optional(),
  }),
  tags: z.array(tagSchema).min(1),
  /** Classes that tell music from speech (schema 2): mean activations decide "not music". */
  detectors: z.object({ music: detectorSchema, speech: detectorSchema.optional() }).optional(),
  /** Reduced-precision copies by name, e.g. "int8" (schema 2). */
  precisions: z.record(z.string().regex(/^[a-z0-9-]+$/), precisionSchema).optional(),
  /** The precision used unless `exact` is asked for; absent: the exact model. */
  default_precision: z.string().optional(),
  licence: z.string().min(1),
  model_file: z.string().default('model.onnx'),
  sha256: z
    .string()
    .regex(/^[0-9a-f]{64}$/)
    .optional(),
});

export type ModelManifest = z.infer<typeof manifestSchema>;
export type ModelTag = z.infer<typeof tagSchema>;
export type WaveformInput = z.infer<typeof waveformInputSchema>;

/** A bundle that passed validation: the manifest plus where its files are. */
export interface ModelBundle {
  readonly dir: string;
  /** The model file that runs: the exact model or the chosen reduced-precision copy. */
  readonly modelPath: string;
  /** `exact`, or the name of the reduced precision in use (e.g. "int8"). */
  readonly precision: string;
  readonly manifest: ModelManifest;
}

/** Which copy of a model to run: the manifest's default, the exact model, or a named precision. */
export type PrecisionChoice = 'default' | 'exact' | (string & {});

/** Thrown when a model folder is not a usable bundle; the message names the file and the problem. */
export class ModelBundleError extends Error {
  override name = 'ModelBundleError';
}

/** Problems a schema cannot express: fields that need schema 2, columns out of range, windows. */
function consistencyProblem(m: ModelManifest): string | undefined {
  const input = m.input;
  const v2: string[] = [];
  if (input.kind === 'logmel') {
    if (input.pre_emphasis !== undefined) v2.push('input.pre_emphasis');
    if (input.win_length !== undefined) v2.push('input.win_length');
    if (input.normalize !== undefined) v2.push('input.normalize');
    if (input.segment !== 'spectrogram') v2.push('input.segment');
    if (input.mel_scale === 'kaldi') v2.push('input.mel_scale');
    if (input.pad_mode !== 'constant') v2.push('input.pad_mode');
    if (input.window !== 'hann') v2.push('input.window');
    if (!LOG10_FORMULA.test(input.log)) v2.push('input.log');
    if (input.segment === 'audio' && input.window_samples === undefined) return 'input.window_samples: needed when segment is "audio"';
    if (input.segment === 'spectrogram' && (input.pre_emphasis !== undefined || input.pad_mode !== 'constant')) {
      return 'input: pre_emphasis and reflect padding need segment "audio"';
    }
  }
  if (m.tags.some((t) => t.index !== undefined)) v2.push('tags[].index');
  if (m.detectors) v2.push('detectors');
  if (m.precisions) v2.push('precisions');
  if (m.schema === 1 && v2.length > 0) return `${v2[0]}: needs "schema": 2`;
  const indexed = m.tags.filter((t) => t.index !== undefined).length;
  if (indexed > 0 && indexed < m.tags.length) return 'tags: give every tag an index, or none';
  const columns = m.outputs.activations_dim ?? m.tags.length;
  const bad = m.tags.find((t, i) => (t.index ?? i) >= columns);
  if (bad) return `tags: "${bad.name}" has index ${bad.index} beyond the ${columns} activations`;
  for (const d of [m.detectors?.music, m.detectors?.speech]) {
    if (d && d.index >= columns) return `detectors: "${d.name}" has index ${d.index} beyond the ${columns} activations`;
  }
  if (m.default_precision && !m.precisions?.[m.default_precision]) {
    return `default_precision: "${m.default_precision}" is not one of the precisions`;
  }
  return undefined;
}

/** Reads and validates a model bundle folder; `precision` picks the model file that runs. */
export async function loadModelBundle(dir: string, precision: PrecisionChoice = 'default'): Promise<ModelBundle> {
  const abs = resolve(dir);
  const manifestPath = join(abs, MANIFEST_FILE);
  let text: string;
  try {
    text = await fs.readFile(manifestPath, 'utf8');
  } catch {
    throw new ModelBundleError(`${manifestPath}: cannot read the model manifest (is ${abs} a model folder?)`);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new ModelBundleError(`${manifestPath}: not valid JSON (${(error as Error).message})`);
  }
  const parsed = manifestSchema.safeParse(raw);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    const where = first?.path.join('.') || '(root)';
    throw new ModelBundleError(`${manifestPath}: invalid manifest at ${where}: ${first?.message ?? 'unknown problem'}`);
  }
  const manifest = parsed.data;
  const problem = consistencyProblem(manifest);
  if (problem) throw new ModelBundleError(`${manifestPath}: invalid manifest at ${problem}`);
  const names = new Set<string>();
  for (const tag of manifest.tags) {
    if (names.has(tag.name)) throw new ModelBundleError(`${manifestPath}: tag "${tag.name}" is listed twice`);
    names.add(tag.name);
  }
  const chosen = precision === 'default' ? (manifest.default_precision ?? 'exact') : precision;
  const variant = chosen === 'exact' ? undefined : manifest.precisions?.[chosen];
  if (chosen !== 'exact' && !variant) {
    const known = ['exact', ...Object.keys(manifest.precisions ?? {})].join(', ');
    throw new ModelBundleError(`${manifestPath}: no precision "${chosen}" in this bundle (it has: ${known})`);
  }
  const modelPath = join(abs, variant?.model_file ?? manifest.model_file);
  try {
    await fs.access(modelPath);
  } catch {
    throw new ModelBundleError(`${modelPath}: the model file named by the manifest is missing`);
  }
  return { dir: abs, modelPath, precision: chosen, manifest };
}

/** SHA-256 of a file, streamed. */
export async function sha256File(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** Checks the model file in use against the manifest's checksum for it, when it has one. */
export async function verifyModelChecksum(bundle: ModelBundle): Promise<void> {
  const m = bundle.manifest;
  const expected = bundle.precision === 'exact' ? m.sha256 : m.precisions?.[bundle.precision]?.sha256;
  if (!expected) return;
  const actual = await sha256File(bundle.modelPath);
  if (actual !== expected) {
    throw new ModelBundleError(`${bundle.modelPath}: checksum mismatch (expected ${expected}, got ${actual})`);
  }
}

/** The log-mel front-end settings of a log-mel model. */
export function logMelSpecOf(manifest: ModelManifest): LogMelSpec | undefined {
  const input = manifest.input;
  if (input.kind !== 'logmel') return undefined;
  const log10 = LOG10_FORMULA.exec(input.log);
  const ln = LN_FORMULA.exec(input.log);
  const norm = input.normalize ? NORMALIZE_FORMULA.exec(input.normalize) : null;
  return {
    sampleRate: input.sample_rate,
    nFft: input.n_fft,
    hop: input.hop,
    nMels: input.n_mels,
    fminHz: input.fmin,
    fmaxHz: input.fmax ?? input.sample_rate / 2,
    melScale: input.mel_scale,
    melNorm: input.mel_norm,
    center: input.center,
    float16BeforeLog: input.float16_before_log,
    logScale: log10 ? Number(log10[1]) : Number.NaN,
    ...(ln ? { logOffset: Number(ln[1]) } : {}),
    ...(norm ? { normalize: { add: (norm[1] === '-' ? -1 : 1) * Number(norm[2]), divide: Number(norm[3]) } } : {}),
    ...(input.win_length !== undefined ? { winLength: input.win_length } : {}),
    ...(input.window !== 'hann' ? { window: input.window } : {}),
    ...(input.pad_mode !== 'constant' ? { padMode: input.pad_mode } : {}),
    ...(input.pre_emphasis !== undefined ? { preEmphasis: input.pre_emphasis } : {}),
    patchFrames: input.patch_frames,
    patchHopFrames: input.patch_hop_frames,
  };
}

/** How the audio is cut into windows, for a model whose patches are windows of audio. */
export function audioWindowingOf(manifest: ModelManifest): AudioWindowing | undefined {
  const input = manifest.input;
  if (input.kind !== 'logmel' || input.segment !== 'audio' || input.window_samples === undefined) return undefined;
  return { windowSamples: input.window_samples, hopSamples: input.window_hop_samples ?? input.window_samples, tail: input.tail };
}

/** Seconds of audio one patch covers. */
export function patchSeconds(manifest: ModelManifest): number {
  const input = manifest.input;
  if (input.kind === 'waveform') return input.patch_samples / input.sample_rate;
  if (input.segment === 'audio' && input.window_samples !== undefined) return input.window_samples / input.sample_rate;
  return (input.patch_frames * input.hop) / input.sample_rate;
}

/** Seconds between the starts of consecutive patches. */
export function patchHopSeconds(manifest: ModelManifest): number {
  const input = manifest.input;
  if (input.kind === 'waveform') return input.patch_hop_samples / input.sample_rate;
  if (input.segment === 'audio' && input.window_samples !== undefined) {
    return (input.window_hop_samples ?? input.window_samples) / input.sample_rate;
  }
  return (input.patch_hop_frames * input.hop) / input.sample_rate;
}

/** Columns of the activations output to read for the tags, in tag order. */
export function tagColumns(manifest: ModelManifest): number[] {
  return manifest.tags.map((t, i) => t.index ?? i);
}
