// Model bundles: a folder with model.onnx and eno-model.json. The manifest says what input the graph
// wants, which outputs carry the tags and the embedding, and the tag vocabulary with thresholds.
import { createHash } from 'node:crypto';
import { createReadStream, promises as fs } from 'node:fs';
import { join, resolve } from 'node:path';
import { z } from 'zod';
import type { LogMelSpec } from '../audio/logmel';

export const TAG_CATEGORIES = ['genre', 'descriptor', 'era', 'vocal', 'instrument', 'other'] as const;
export type TagCategory = (typeof TAG_CATEGORIES)[number];

export const MANIFEST_FILE = 'eno-model.json';

const tagSchema = z.object({
  name: z.string().min(1),
  category: z.enum(TAG_CATEGORIES),
  threshold: z.number().min(0).max(1),
});

const logMelInputSchema = z.object({
  kind: z.literal('logmel'),
  name: z.string().min(1),
  sample_rate: z.number().int().positive(),
  n_fft: z.number().int().positive(),
  hop: z.number().int().positive(),
  window: z.literal('hann').default('hann'),
  center: z.boolean().default(true),
  pad_mode: z.literal('constant').default('constant'),
  power: z.literal(2).default(2),
  n_mels: z.number().int().positive(),
  mel_scale: z.enum(['slaney', 'htk']).default('slaney'),
  mel_norm: z.enum(['slaney']).nullable().default('slaney'),
  fmin: z.number().min(0).default(0),
  fmax: z.number().positive().optional(),
  log: z.string().regex(/^log10\(1\s*\+\s*[0-9.e+]+\s*\*\s*x\)$/, 'log must read log10(1+C*x)'),
  float16_before_log: z.boolean().default(false),
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

export const manifestSchema = z.object({
  schema: z.literal(1).default(1),
  id: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'id may use letters, digits, ".", "_" and "-"'),
  version: z.string().min(1),
  name: z.string().optional(),
  source: z.string().min(1),
  description: z.string().optional(),
  input: z.discriminatedUnion('kind', [logMelInputSchema, waveformInputSchema]),
  outputs: z.object({
    activations: z.string().min(1),
    embedding: z.string().min(1).optional(),
    embedding_dim: z.number().int().positive().optional(),
  }),
  tags: z.array(tagSchema).min(1),
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
  readonly modelPath: string;
  readonly manifest: ModelManifest;
}

/** Thrown when a model folder is not a usable bundle; the message names the file and the problem. */
export class ModelBundleError extends Error {
  override name = 'ModelBundleError';
}

/** Reads and validates a model bundle folder. */
export async function loadModelBundle(dir: string): Promise<ModelBundle> {
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
  const names = new Set<string>();
  for (const tag of manifest.tags) {
    if (names.has(tag.name)) throw new ModelBundleError(`${manifestPath}: tag "${tag.name}" is listed twice`);
    names.add(tag.name);
  }
  const modelPath = join(abs, manifest.model_file);
  try {
    await fs.access(modelPath);
  } catch {
    throw new ModelBundleError(`${modelPath}: the model file named by the manifest is missing`);
  }
  return { dir: abs, modelPath, manifest };
}

/** SHA-256 of a file, streamed. */
export async function sha256File(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** Checks the model file against the manifest's checksum, when it has one. */
export async function verifyModelChecksum(bundle: ModelBundle): Promise<void> {
  const expected = bundle.manifest.sha256;
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
  const scale = Number(/\+\s*([0-9.e+]+)\s*\*/.exec(input.log)?.[1]);
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
    logScale: scale,
    patchFrames: input.patch_frames,
    patchHopFrames: input.patch_hop_frames,
  };
}

/** Seconds of audio one patch covers. */
export function patchSeconds(manifest: ModelManifest): number {
  const input = manifest.input;
  if (input.kind === 'waveform') return input.patch_samples / input.sample_rate;
  return (input.patch_frames * input.hop) / input.sample_rate;
}
