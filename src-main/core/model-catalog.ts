// The models this installation can use: the bundled default and the ones pulled from the ClearML
// registry into <data dir>/models/<id>-<version>/.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { LocalModelRow } from '../../src-preload/contract';
import { defaultModelDir } from '../inference/default-model';
import { MANIFEST_FILE } from '../inference/manifest';
import { loadSettings, saveSettings } from './app-settings';

/** The key of the bundled default model. */
export const DEFAULT_MODEL_KEY = 'default';

/** The folder of an installed model, or null when there is no such model. */
export function modelDirFor(dataDir: string, key: string): string | null {
  if (key === DEFAULT_MODEL_KEY) return defaultModelDir() ?? null;
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(key)) return null;
  const dir = join(dataDir, 'models', key);
  return existsSync(join(dir, MANIFEST_FILE)) ? dir : null;
}

function row(key: string, dir: string, activeKey: string): LocalModelRow | null {
  try {
    const m = JSON.parse(readFileSync(join(dir, MANIFEST_FILE), 'utf8')) as { id?: string; version?: string; name?: string; source?: string };
    if (!m.id || !m.version) return null;
    return { key, id: m.id, version: m.version, name: m.name ?? m.id, source: m.source ?? 'unknown', active: key === activeKey };
  } catch {
    return null;
  }
}

/** The default model first, then pulled models by folder name. */
export function listLocalModels(dataDir: string, activeKey: string): LocalModelRow[] {
  const out: LocalModelRow[] = [];
  const bundled = defaultModelDir();
  const first = bundled ? row(DEFAULT_MODEL_KEY, bundled, activeKey) : null;
  if (first) out.push(first);
  const cache = join(dataDir, 'models');
  if (existsSync(cache)) {
    for (const name of readdirSync(cache).sort()) {
      if (name.startsWith('.')) continue;
      const r = row(name, join(cache, name), activeKey);
      if (r) out.push(r);
    }
  }
  return out;
}

/** Makes an installed model the active one (the app re-tags the library with it when it starts). */
export function setActiveModel(dataDir: string, key: string): void {
  saveSettings(dataDir, { ...loadSettings(dataDir), activeModel: key === DEFAULT_MODEL_KEY ? null : key });
}
