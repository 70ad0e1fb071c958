// Where the default model bundle lives: ENO_MODEL_DIR when set, else models/musicnn-msd found from
// the running code (sources, the electron-vite build, or a packaged app's resources).
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { MANIFEST_FILE } from './manifest';

export const DEFAULT_MODEL_ID = 'musicnn-msd';

/** Finds the folder of the default model bundle, or undefined when it is not installed. */
export function defaultModelDir(): string | undefined {
  const fromEnv = process.env.ENO_MODEL_DIR;
  if (fromEnv) return fromEnv;
  const roots: string[] = [];
  const resources = (process as { resourcesPath?: string }).resourcesPath;
  if (resources) roots.push(resources);
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    roots.push(dir);
    dir = dirname(dir);
  }
  for (const root of roots) {
    const candidate = join(root, 'models', DEFAULT_MODEL_ID);
    if (existsSync(join(candidate, MANIFEST_FILE))) return candidate;
  }
  return undefined;
}
