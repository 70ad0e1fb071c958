// Where the bundled model bundles live: models/<id> found from the running code (sources, the
// electron-vite build, or a packaged app's resources). ENO_MODEL_DIR replaces the default model
// (musicnn) when set; the default set is that model plus the AudioSet model.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { MANIFEST_FILE } from './manifest';

export const DEFAULT_MODEL_ID = 'musicnn-msd';

/** The AudioSet model that joins the default model in the default set (wider vocabulary, music or not). */
export const AUDIOSET_MODEL_ID = 'efficientat-mn04';

/** Finds the folder of a bundled model by its id, or undefined when it is not installed. */
export function bundledModelDir(id: string): string | undefined {
  const roots: string[] = [];
  const resources = (process as { resourcesPath?: string }).resourcesPath;
  if (resources) roots.push(resources);
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    roots.push(dir);
    dir = dirname(dir);
  }
  for (const root of roots) {
    const candidate = join(root, 'models', id);
    if (existsSync(join(candidate, MANIFEST_FILE))) return candidate;
  }
  return undefined;
}

/** Finds the folder of the default model bundle, or undefined when it is not installed. */
export function defaultModelDir(): string | undefined {
  return process.env.ENO_MODEL_DIR || bundledModelDir(DEFAULT_MODEL_ID);
}

/** The folders of the default model set: the default model, then the AudioSet model when installed. */
export function defaultModelSet(): string[] {
  return [defaultModelDir(), bundledModelDir(AUDIOSET_MODEL_ID)].filter((d): d is string => d !== undefined);
}
