// Upload bookkeeping in the app's SQLite database: which correction snapshots went into which
// dataset version (so none is uploaded twice), and the draft version an upload is working on (so a
// failed upload is resumed or archived on the next attempt, never left as the newest version).
import { randomBytes } from 'node:crypto';
import type { Database } from 'better-sqlite3';

export interface DraftRecord {
  readonly datasetId: string;
  readonly project: string;
  readonly datasetName: string;
  readonly version: string;
  readonly parentId: string | null;
  readonly createdAt: string;
}

/** Tables owned by the ClearML upload; `IF NOT EXISTS` so opening is idempotent. */
const SCHEMA = `
CREATE TABLE IF NOT EXISTS clearml_meta (
  name TEXT PRIMARY KEY,
  value TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS clearml_uploaded (
  correction_key TEXT PRIMARY KEY,
  dataset_id TEXT NOT NULL,
  dataset_version TEXT NOT NULL,
  uploaded_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS clearml_drafts (
  dataset_id TEXT PRIMARY KEY,
  project TEXT NOT NULL,
  dataset_name TEXT NOT NULL,
  version TEXT NOT NULL,
  parent_id TEXT,
  state TEXT NOT NULL CHECK (state IN ('open', 'finalized', 'abandoned')),
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS clearml_draft_keys (
  dataset_id TEXT NOT NULL REFERENCES clearml_drafts(dataset_id),
  correction_key TEXT NOT NULL,
  PRIMARY KEY (dataset_id, correction_key)
);
CREATE INDEX IF NOT EXISTS clearml_uploaded_by_dataset ON clearml_uploaded(dataset_id);
`;

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

/** The ledger on a better-sqlite3 handle the app owns (and closes). */
export class UploadLedger {
  constructor(private readonly db: Database) {
    db.exec(SCHEMA);
  }

  /** A random id for this installation, written into the drafts it creates so it can recognise them. */
  uploaderId(): string {
    const row = this.db.prepare('SELECT value FROM clearml_meta WHERE name = ?').get('uploader_id') as { value: string } | undefined;
    if (row) return row.value;
    const id = randomBytes(8).toString('hex');
    this.db.prepare('INSERT OR IGNORE INTO clearml_meta (name, value) VALUES (?, ?)').run('uploader_id', id);
    return (this.db.prepare('SELECT value FROM clearml_meta WHERE name = ?').get('uploader_id') as { value: string }).value;
  }

  /** The subset of `keys` already uploaded in a finalized version. */
  uploadedKeys(keys: readonly string[]): Set<string> {
    const found = new Set<string>();
    const stmt = this.db.prepare('SELECT 1 FROM clearml_uploaded WHERE correction_key = ?');
    for (const key of keys) if (stmt.get(key)) found.add(key);
    return found;
  }

  /** Finalized versions this installation uploaded, newest first, with how many corrections each carried. */
  history(limit = 100): Array<{ datasetId: string; version: string; project: string; datasetName: string; uploadedAt: string; corrections: number }> {
    return (
      this.db
        .prepare(
          `SELECT u.dataset_id, u.dataset_version, d.project, d.dataset_name, MAX(u.uploaded_at) AS uploaded_at, COUNT(*) AS corrections
           FROM clearml_uploaded u LEFT JOIN clearml_drafts d ON d.dataset_id = u.dataset_id
           GROUP BY u.dataset_id ORDER BY uploaded_at DESC LIMIT ?`,
        )
        .all(limit) as Array<{ dataset_id: string; dataset_version: string; project: string | null; dataset_name: string | null; uploaded_at: string; corrections: number }>
    ).map((r) => ({
      datasetId: r.dataset_id,
      version: r.dataset_version,
      project: r.project ?? '',
      datasetName: r.dataset_name ?? '',
      uploadedAt: r.uploaded_at,
      corrections: r.corrections,
    }));
  }

  /** Which version holds a correction snapshot, if it went up. */
  versionOf(key: string): { datasetId: string; version: string } | undefined {
    const row = this.db.prepare('SELECT dataset_id, dataset_version FROM clearml_uploaded WHERE correction_key = ?').get(key) as
      | { dataset_id: string; dataset_version: string }
      | undefined;
    return row ? { datasetId: row.dataset_id, version: row.dataset_version } : undefined;
  }

  /** The draft this installation is working on for a dataset, if any. */
  openDraft(project: string, datasetName: string): DraftRecord | undefined {
    const row = this.db
      .prepare("SELECT * FROM clearml_drafts WHERE project = ? AND dataset_name = ? AND state = 'open' ORDER BY created_at DESC")
      .get(project, datasetName) as DraftRow | undefined;
    return row ? toDraft(row) : undefined;
  }

  /** True when this installation created the dataset version `datasetId`. */
  knowsDraft(datasetId: string): boolean {
    return this.db.prepare('SELECT 1 FROM clearml_drafts WHERE dataset_id = ?').get(datasetId) !== undefined;
  }

  /** Keys a draft is meant to carry. */
  draftKeys(datasetId: string): string[] {
    return (this.db.prepare('SELECT correction_key FROM clearml_draft_keys WHERE dataset_id = ? ORDER BY correction_key').all(datasetId) as Array<{
      correction_key: string;
    }>).map((r) => r.correction_key);
  }

  /** Records a new draft and the keys it carries, in one transaction. */
  recordDraft(draft: DraftRecord, keys: readonly string[]): void {
    this.db.transaction(() => {
      const now = new Date().toISOString();
      this.db
        .prepare(
          "INSERT INTO clearml_drafts (dataset_id, project, dataset_name, version, parent_id, state, created_at, updated_at) VALUES (?, ?, ?, ?, ?, 'open', ?, ?)",
        )
        .run(draft.datasetId, draft.project, draft.datasetName, draft.version, draft.parentId, draft.createdAt, now);
      this.replaceKeys(draft.datasetId, keys);
    })();
  }

  /** A resumed draft may carry a different set of keys (new corrections since the failed attempt). */
  updateDraftKeys(datasetId: string, keys: readonly string[]): void {
    this.db.transaction(() => this.replaceKeys(datasetId, keys))();
  }

  /** The version is final on the server: its keys count as uploaded, atomically. */
  finalizeDraft(datasetId: string): void {
    this.db.transaction(() => {
      const draft = this.db.prepare('SELECT version FROM clearml_drafts WHERE dataset_id = ?').get(datasetId) as { version: string } | undefined;
      if (!draft) throw new Error(`unknown draft ${datasetId}`);
      const now = new Date().toISOString();
      this.db
        .prepare(
          'INSERT OR IGNORE INTO clearml_uploaded (correction_key, dataset_id, dataset_version, uploaded_at) SELECT correction_key, dataset_id, ?, ? FROM clearml_draft_keys WHERE dataset_id = ?',
        )
        .run(draft.version, now, datasetId);
      this.db.prepare("UPDATE clearml_drafts SET state = 'finalized', updated_at = ? WHERE dataset_id = ?").run(now, datasetId);
    })();
  }

  /** The draft was archived on the server; its keys stay pending. */
  abandonDraft(datasetId: string): void {
    this.db.prepare("UPDATE clearml_drafts SET state = 'abandoned', updated_at = ? WHERE dataset_id = ?").run(new Date().toISOString(), datasetId);
  }

  private replaceKeys(datasetId: string, keys: readonly string[]): void {
    this.db.prepare('DELETE FROM clearml_draft_keys WHERE dataset_id = ?').run(datasetId);
    const insert = this.db.prepare('INSERT INTO clearml_draft_keys (dataset_id, correction_key) VALUES (?, ?)');
    for (const key of keys) insert.run(datasetId, key);
    this.db.prepare('UPDATE clearml_drafts SET updated_at = ? WHERE dataset_id = ?').run(new Date().toISOString(), datasetId);
  }
}
