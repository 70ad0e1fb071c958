// Upload bookkeeping in the library's database (tables `upload_*`, created by the store's
// migrations, on the library's own connection): the dataset versions this installation created and
// the correction snapshots each carries. A version is open while its upload works on it, finalized
// once the server holds it final, abandoned once archived. A snapshot counts as uploaded when a
// finalized version holds it; the library's pending query reads exactly that, so the fact is kept once.
import { randomBytes } from 'node:crypto';
import type { Database } from 'better-sqlite3';
import { parseCorrectionKey } from '../review/corrections';

export interface DraftRecord {
  readonly datasetId: string;
  readonly project: string;
  readonly datasetName: string;
  readonly version: string;
  readonly parentId: string | null;
  readonly createdAt: string;
}

export interface UploadHistoryEntry {
  readonly datasetId: string;
  readonly version: string;
  readonly project: string;
  readonly datasetName: string;
  readonly uploadedAt: string;
  readonly corrections: number;
}

interface DraftRow {
  dataset_id: string;
  project: string;
  dataset_name: string;
  version: string;
  parent_id: string | null;
  created_at: string;
}

const toDraft = (row: DraftRow): DraftRecord => ({
  datasetId: row.dataset_id,
  project: row.project,
  datasetName: row.dataset_name,
  version: row.version,
  parentId: row.parent_id,
  createdAt: row.created_at,
});

/** The ledger on the library's connection (the library owns and closes it). */
export class UploadLedger {
  constructor(private readonly db: Database) {}

  /** A random id for this installation, written into the drafts it creates so it can recognise them. */
  uploaderId(): string {
    const read = (): string | undefined =>
      (this.db.prepare('SELECT value FROM upload_meta WHERE name = ?').get('uploader_id') as { value: string } | undefined)?.value;
    const known = read();
    if (known) return known;
    this.db.prepare('INSERT OR IGNORE INTO upload_meta (name, value) VALUES (?, ?)').run('uploader_id', randomBytes(8).toString('hex'));
    return read()!;
  }

  /** Finalized versions this installation uploaded, newest first, with how many corrections each carried. */
  history(limit = 100): UploadHistoryEntry[] {
    const rows = this.db
      .prepare(
        `SELECT v.dataset_id, v.version, v.project, v.dataset_name, v.updated_at, COUNT(k.correction_key) AS corrections
         FROM upload_versions v LEFT JOIN upload_version_keys k ON k.dataset_id = v.dataset_id
         WHERE v.state = 'finalized' AND v.version <> ''
         GROUP BY v.dataset_id ORDER BY v.updated_at DESC LIMIT ?`,
      )
      .all(limit) as Array<{ dataset_id: string; version: string; project: string; dataset_name: string; updated_at: string; corrections: number }>;
    return rows.map((r) => ({
      datasetId: r.dataset_id,
      version: r.version,
      project: r.project,
      datasetName: r.dataset_name,
      uploadedAt: r.updated_at,
      corrections: r.corrections,
    }));
  }

  /** The finalized version holding a correction snapshot, if it went up. */
  versionOf(key: string): { datasetId: string; version: string } | undefined {
    const row = this.db
      .prepare(
        `SELECT v.dataset_id, v.version FROM upload_version_keys k JOIN upload_versions v ON v.dataset_id = k.dataset_id
         WHERE k.correction_key = ? AND v.state = 'finalized' ORDER BY v.updated_at LIMIT 1`,
      )
      .get(key) as { dataset_id: string; version: string } | undefined;
    return row ? { datasetId: row.dataset_id, version: row.version } : undefined;
  }

  /** The draft this installation is working on for a dataset, if any. */
  openDraft(project: string, datasetName: string): DraftRecord | undefined {
    const row = this.db
      .prepare("SELECT * FROM upload_versions WHERE project = ? AND dataset_name = ? AND state = 'open' ORDER BY created_at DESC")
      .get(project, datasetName) as DraftRow | undefined;
    return row ? toDraft(row) : undefined;
  }

  /** True when this installation created the dataset version `datasetId`. */
  knowsDraft(datasetId: string): boolean {
    return this.db.prepare('SELECT 1 FROM upload_versions WHERE dataset_id = ?').get(datasetId) !== undefined;
  }

  /** Keys a draft is meant to carry. */
  draftKeys(datasetId: string): string[] {
    return this.db.prepare('SELECT correction_key FROM upload_version_keys WHERE dataset_id = ? ORDER BY correction_key').pluck().all(datasetId) as string[];
  }

  /** Records a new draft and the keys it carries, in one transaction. */
  recordDraft(draft: DraftRecord, keys: readonly string[]): void {
    this.db.transaction(() => {
      this.db
        .prepare(
          "INSERT INTO upload_versions (dataset_id, project, dataset_name, version, parent_id, state, created_at, updated_at) VALUES (?, ?, ?, ?, ?, 'open', ?, ?)",
        )
        .run(draft.datasetId, draft.project, draft.datasetName, draft.version, draft.parentId, draft.createdAt, new Date().toISOString());
      this.replaceKeys(draft.datasetId, keys);
    }).immediate();
  }

  /** A resumed draft may carry a different set of keys (new corrections since the failed attempt). */
  updateDraftKeys(datasetId: string, keys: readonly string[]): void {
    this.db.transaction(() => this.replaceKeys(datasetId, keys)).immediate();
  }

  /** The version is final on the server: from now on its keys count as uploaded. */
  finalizeDraft(datasetId: string): void {
    const changed = this.db
      .prepare("UPDATE upload_versions SET state = 'finalized', updated_at = ? WHERE dataset_id = ?")
      .run(new Date().toISOString(), datasetId).changes;
    if (changed === 0) throw new Error(`unknown draft ${datasetId}`);
  }

  /** The draft was archived on the server; its keys stay pending. */
  abandonDraft(datasetId: string): void {
    this.db.prepare("UPDATE upload_versions SET state = 'abandoned', updated_at = ? WHERE dataset_id = ?").run(new Date().toISOString(), datasetId);
  }

  private replaceKeys(datasetId: string, keys: readonly string[]): void {
    this.db.prepare('DELETE FROM upload_version_keys WHERE dataset_id = ?').run(datasetId);
    const insert = this.db.prepare('INSERT OR IGNORE INTO upload_version_keys (dataset_id, correction_key, track_hash, label_rev) VALUES (?, ?, ?, ?)');
    for (const key of keys) {
      const parsed = parseCorrectionKey(key);
      insert.run(datasetId, key, parsed?.hash ?? null, parsed?.labelRev ?? null);
    }
    this.db.prepare('UPDATE upload_versions SET updated_at = ? WHERE dataset_id = ?').run(new Date().toISOString(), datasetId);
  }
}
