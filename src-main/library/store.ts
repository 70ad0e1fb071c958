// The SQLite store: opening it with the settings that make a confirmed correction survive kill -9
// and power loss, the key/value settings, and the registry of model bundles.
import Database from 'better-sqlite3';
import { join } from 'node:path';
import type { ModelManifest, ModelTag } from '../inference/manifest';
import { patchSeconds } from '../inference/manifest';
import { migrate } from './schema';

/** An open library database. */
export type Db = Database.Database;

/** The database file in the data folder. */
export const DATABASE_FILE = 'eno.db';

/**
 * Opens (creating and migrating as needed) the library database of a data folder. A second
 * connection for a worker thread passes `migrate: false`: the process that opened it first has
 * already brought the schema up to date.
 */
export function openStore(dataDir: string, options: { readonly migrate?: boolean } = {}): Db {
  const db = new Database(join(dataDir, DATABASE_FILE), { timeout: 5000 });
  try {
    db.pragma('journal_mode = WAL');
    // FULL: every commit is fsynced before it returns, so "saved" means saved even on power loss.
    db.pragma('synchronous = FULL');
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
    if (options.migrate !== false) migrate(db);
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}

/** The current time as the store writes it. */
export function nowIso(): string {
  return new Date().toISOString();
}

/** Reads a setting; undefined when unset. */
export function getSetting(db: Db, key: string): string | undefined {
  const row = db.prepare('SELECT value FROM settings WHERE key = ?').get(key) as { value: string } | undefined;
  return row?.value;
}

/** Writes a setting (durable when this returns). */
export function setSetting(db: Db, key: string, value: string): void {
  db.prepare('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value').run(
    key,
    value,
  );
}

/** Settings keys the library uses. */
export const SETTINGS = {
  /** The key of the set's first model (musicnn, or a pulled model in its place). */
  activeModel: 'active_model',
  /** JSON list of the keys of the active model set, first model first. */
  activeModels: 'active_models',
  queuePaused: 'queue_paused',
} as const;

/** The keys of the active model set (the first model alone in a store written before sets). */
export function activeModelKeys(db: Db): string[] {
  const set = getSetting(db, SETTINGS.activeModels);
  if (set) return JSON.parse(set) as string[];
  const one = getSetting(db, SETTINGS.activeModel);
  return one ? [one] : [];
}

/** A model bundle as the store knows it. */
export interface StoredModel {
  readonly key: string;
  readonly id: string;
  readonly version: string;
  readonly name: string;
  readonly source: string;
  readonly patchSec: number;
  readonly tags: readonly ModelTag[];
}

/** The store's name for a model: id and version. */
export function modelKey(id: string, version: string): string {
  return `${id}@${version}`;
}

interface ModelRow {
  key: string;
  id: string;
  version: string;
  name: string;
  source: string;
  patch_sec: number;
  tags: string;
}

/** Model bundles that produced predictions, cached: their tag lists decode every score blob. */
export class ModelRegistry {
  private readonly cache = new Map<string, StoredModel | null>();

  constructor(private readonly db: Db) {}

  /** Records a bundle's manifest. A different tag list under a known id@version is refused. */
  register(manifest: ModelManifest): StoredModel {
    const tags = manifest.tags.map((t) => ({ name: t.name, category: t.category, threshold: t.threshold }));
    return this.registerTags(manifest.id, manifest.version, manifest.name ?? manifest.id, manifest.source, patchSeconds(manifest), tags);
  }

  /** Records a model known only from its outputs (a tagging result made elsewhere). */
  registerTags(id: string, version: string, name: string, source: string, patchSec: number, tags: readonly ModelTag[]): StoredModel {
    const key = modelKey(id, version);
    const known = this.get(key);
    if (known) {
      if (JSON.stringify(known.tags) !== JSON.stringify(tags)) {
        throw new Error(`model ${key} is already in the library with a different tag list; give the new model a new version`);
      }
      return known;
    }
    this.db
      .prepare('INSERT INTO models (key, id, version, name, source, patch_sec, tags, added_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)')
      .run(key, id, version, name, source, patchSec, JSON.stringify(tags), new Date().toISOString());
    this.cache.delete(key);
    return this.get(key)!;
  }

  /** The model stored under a key. */
  get(key: string): StoredModel | undefined {
    if (!this.cache.has(key)) {
      const row = this.db.prepare('SELECT * FROM models WHERE key = ?').get(key) as ModelRow | undefined;
      this.cache.set(
        key,
        row
          ? {
              key: row.key,
              id: row.id,
              version: row.version,
              name: row.name,
              source: row.source,
              patchSec: row.patch_sec,
              tags: JSON.parse(row.tags) as ModelTag[],
            }
          : null,
      );
    }
    return this.cache.get(key) ?? undefined;
  }

  /** Every tag name any stored model knows (for matching what people type). */
  allTagNames(): Set<string> {
    const keys = this.db.prepare('SELECT key FROM models').pluck().all() as string[];
    return new Set(keys.flatMap((k) => this.get(k)?.tags.map((t) => t.name) ?? []));
  }
}
