// The model registry side: list the published `eno` ONNX models, newest first, and pull one into
// the models cache as an ordinary bundle. Convention (see README.md): the weights are the model's
// `uri` (model.onnx) and its eno-model.json travels as the model's configuration (`design`), with
// the weights' SHA-256 in it. Installation goes through a temporary folder renamed into place, so a
// failed pull never leaves a partial model folder.
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import type { Writable } from 'node:stream';
import { loadModelBundle, manifestSchema, MANIFEST_FILE, ModelBundleError, verifyModelChecksum, type ModelManifest } from '../inference/manifest';
import type { ClearmlClient } from './client';
import { asResult, ClearmlError, type Result } from './errors';
import { downloadFile, type TransferProgress } from './files';
import { isReadable, resolveStorage } from './storage';

export const MODEL_TAG = 'eno';
export const MODEL_FRAMEWORK = 'ONNX';
const WEIGHTS_FILE = 'model.onnx';

interface RawModel {
  id: string;
  name?: string;
  uri?: string;
  created?: string;
  framework?: string;
  tags?: string[];
  system_tags?: string[];
  ready?: boolean;
  design?: unknown;
  comment?: string;
}

export interface RegistryModel {
  readonly id: string;
  readonly name: string;
  readonly uri: string;
  readonly created: string;
  readonly framework: string;
  readonly tags: readonly string[];
  /** The bundle manifest carried in the model's configuration, when it is valid. */
  readonly manifest: ModelManifest | null;
  /** Why the model cannot be pulled, when it cannot. */
  readonly problem: string | null;
  /** The model's comment in the registry (the trainer's validation figures). */
  readonly comment: string;
}

export interface ListModelsOptions {
  readonly tag?: string;
  readonly limit?: number;
  readonly signal?: AbortSignal;
}

export interface PullOptions {
  /** The models cache; the bundle lands in `<cacheDir>/<manifest id>-<version>/`. */
  readonly cacheDir: string;
  readonly signal?: AbortSignal;
  readonly onProgress?: (progress: TransferProgress) => void;
  /** For tests: opens the weights' temporary file (e.g. one that fails like a full disk). */
  readonly openWrite?: (path: string) => Writable;
}

export interface InstalledModel {
  readonly dir: string;
  readonly manifest: ModelManifest;
  readonly alreadyInstalled: boolean;
}

function designText(design: unknown): string {
  if (typeof design === 'string') return design;
  if (typeof design === 'object' && design !== null) {
    const value = (design as Record<string, unknown>).design ?? Object.values(design)[0];
    return typeof value === 'string' ? value : '';
  }
  return '';
}

/** Reads and checks the eno manifest a registered model carries; returns it or the reason it is unusable. */
export function manifestOfModel(model: { readonly design?: unknown; readonly uri?: string }): { manifest: ModelManifest | null; problem: string | null } {
  const text = designText(model.design).trim();
  if (!text) return { manifest: null, problem: 'its configuration has no eno-model.json (see the model convention)' };
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return { manifest: null, problem: 'its configuration is not the JSON of an eno-model.json' };
  }
  const parsed = manifestSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return { manifest: null, problem: `its eno-model.json is invalid at ${issue?.path.join('.') || '(root)'}: ${issue?.message ?? 'unknown problem'}` };
  }
  if (!parsed.data.sha256) return { manifest: parsed.data, problem: 'its eno-model.json has no sha256 of the weights' };
  const uri = model.uri ?? '';
  if (!uri || /\/uploading_file$/.test(uri)) return { manifest: parsed.data, problem: `its weights were never uploaded (uri ${uri || 'missing'})` };
  const storage = resolveStorage(uri, null);
  if (!isReadable(storage)) {
    return { manifest: parsed.data, problem: `its weights are on ${storage.label} (${uri}), which eno cannot read: register them on the ClearML file server (OutputModel with output_uri=True)` };
  }
  return { manifest: parsed.data, problem: null };
}

function toRegistryModel(raw: RawModel): RegistryModel {
  const { manifest, problem } = manifestOfModel(raw);
  return {
    id: raw.id,
    name: raw.name ?? raw.id,
    uri: raw.uri ?? '',
    created: raw.created ?? '',
    framework: raw.framework ?? '',
    tags: raw.tags ?? [],
    manifest,
    problem,
    comment: raw.comment ?? '',
  };
}

/** Published, non-archived ONNX models tagged `eno`, newest first. */
export async function listPublishedModels(client: ClearmlClient, options: ListModelsOptions = {}): Promise<Result<RegistryModel[]>> {
  return asResult(async () => {
    const data = await client.call<{ models?: RawModel[] }>(
      'models.get_all',
      {
        ready: true,
        tags: [options.tag ?? MODEL_TAG],
        framework: [MODEL_FRAMEWORK],
        system_tags: ['-archived'],
        order_by: ['-created'],
        page: 0,
        page_size: options.limit ?? 20,
        only_fields: ['id', 'name', 'uri', 'created', 'framework', 'tags', 'ready', 'design', 'comment'],
      },
      { signal: options.signal },
    );
    return (data.models ?? []).map(toRegistryModel);
  }, options.signal);
}

/**
 * Why a model fetched by id (models.get_by_id answers for any model) is not one the app may pull:
 * the registry listing only shows published, unarchived ONNX models tagged "eno", and a pull by id
 * keeps to the same rule. Null when it qualifies.
 */
export function registryRuleBroken(model: RawModel): string | null {
  if (model.ready !== true) return 'is not published (publish it in ClearML first)';
  if ((model.system_tags ?? []).includes('archived')) return 'is archived';
  if (!(model.tags ?? []).includes(MODEL_TAG)) return `is not tagged "${MODEL_TAG}"`;
  if (model.framework !== MODEL_FRAMEWORK) return `has framework "${model.framework ?? ''}", not "${MODEL_FRAMEWORK}"`;
  return null;
}

async function modelById(client: ClearmlClient, id: string, signal?: AbortSignal): Promise<RegistryModel> {
  const raw = (await client.call<{ model: RawModel }>('models.get_by_id', { model: id }, { signal })).model;
  const broken = registryRuleBroken(raw);
  if (broken) throw new ClearmlError('invalid-model', `Model "${raw.name ?? id}" (${id}) cannot be used: it ${broken}.`);
  return toRegistryModel(raw);
}

/** A cache folder name from the manifest's id and version (both already restricted by the schema). */
export function bundleDirName(manifest: ModelManifest): string {
  return `${manifest.id}-${manifest.version.replace(/[^A-Za-z0-9._-]/g, '_')}`;
}

async function installedMatches(dir: string, modelId: string, sha256: string): Promise<ModelManifest | null> {
  try {
    const bundle = await loadModelBundle(dir);
    if (bundle.manifest.source !== `clearml:${modelId}` || bundle.manifest.sha256 !== sha256) return null;
    await verifyModelChecksum(bundle);
    return bundle.manifest;
  } catch {
    return null;
  }
}

/** Downloads a registered model and installs it as a bundle; returns the folder (using it is the app's job). */
export async function pullModel(client: ClearmlClient, model: RegistryModel | string, options: PullOptions): Promise<Result<InstalledModel>> {
  return asResult(async () => {
    const entry = typeof model === 'string' ? await modelById(client, model, options.signal) : model;
    if (entry.problem || !entry.manifest?.sha256) {
      throw new ClearmlError('invalid-model', `Model "${entry.name}" (${entry.id}) cannot be used: ${entry.problem ?? 'no manifest'}.`);
    }
    const sha256 = entry.manifest.sha256;
    await fs.mkdir(options.cacheDir, { recursive: true });
    const name = bundleDirName(entry.manifest);
    const finalDir = join(options.cacheDir, name);
    const existing = await installedMatches(finalDir, entry.id, sha256);
    if (existing) return { dir: finalDir, manifest: existing, alreadyInstalled: true };

    const tempDir = join(options.cacheDir, `.${name}.${randomBytes(6).toString('hex')}.tmp`);
    await fs.mkdir(tempDir);
    try {
      await downloadFile(client, {
        url: entry.uri,
        what: `the weights of model "${entry.name}" (${entry.id})`,
        destPath: join(tempDir, WEIGHTS_FILE),
        expectedSha256: sha256,
        signal: options.signal,
        onProgress: options.onProgress,
        openWrite: options.openWrite,
      });
      const manifest: ModelManifest = { ...entry.manifest, source: `clearml:${entry.id}`, model_file: WEIGHTS_FILE };
      await fs.writeFile(join(tempDir, MANIFEST_FILE), `${JSON.stringify(manifest, null, 2)}\n`);
      await fs.writeFile(
        join(tempDir, 'LICENCE.txt'),
        `${manifest.licence}\n\nPulled from the ClearML model registry: model "${entry.name}" (${entry.id}), ${entry.uri}\n`,
      );
      const bundle = await loadModelBundle(tempDir);
      await verifyModelChecksum(bundle);
      // Swap in atomically: a reader sees the old folder or the new one, never a half-written one.
      const old = join(options.cacheDir, `.${name}.${randomBytes(6).toString('hex')}.old`);
      const hadOld = await fs.rename(finalDir, old).then(
        () => true,
        (error: NodeJS.ErrnoException) => {
          if (error.code === 'ENOENT') return false;
          throw error;
        },
      );
      await fs.rename(tempDir, finalDir);
      if (hadOld) await fs.rm(old, { recursive: true, force: true });
      return { dir: finalDir, manifest, alreadyInstalled: false };
    } catch (error) {
      await fs.rm(tempDir, { recursive: true, force: true });
      if (error instanceof ModelBundleError) throw new ClearmlError('invalid-model', `Model "${entry.name}" (${entry.id}) is not a usable bundle: ${error.message}`);
      if ((error as NodeJS.ErrnoException).code === 'ENOSPC') {
        throw new ClearmlError('disk-full', `Not enough disk space in ${options.cacheDir} to install model "${entry.name}"; free some space and try again.`);
      }
      throw error;
    }
  }, options.signal);
}
