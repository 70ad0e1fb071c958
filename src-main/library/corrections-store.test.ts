// What went up is recorded once, in the library's schema: the store's migration moves the upload
// bookkeeping older versions kept twice (their own `clearml_*` tables, created over a second
// connection, and tracks.uploaded_rev) into the upload ledger's tables, and the pending query reads
// only those.
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { UploadLedger } from '../clearml/ledger';
import { pendingCorrections } from './corrections-store';
import { migrate, MIGRATIONS } from './schema';
import { ModelRegistry } from './store';
import { TrackSummaries } from './summary';

/** The tables and index the upload ledger of earlier versions created for itself. */
const OLD_LEDGER = `
CREATE TABLE IF NOT EXISTS clearml_meta (name TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS clearml_uploaded (correction_key TEXT PRIMARY KEY, dataset_id TEXT NOT NULL, dataset_version TEXT NOT NULL, uploaded_at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS clearml_drafts (
  dataset_id TEXT PRIMARY KEY, project TEXT NOT NULL, dataset_name TEXT NOT NULL, version TEXT NOT NULL, parent_id TEXT,
  state TEXT NOT NULL CHECK (state IN ('open', 'finalized', 'abandoned')), created_at TEXT NOT NULL, updated_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS clearml_draft_keys (
  dataset_id TEXT NOT NULL REFERENCES clearml_drafts(dataset_id), correction_key TEXT NOT NULL, PRIMARY KEY (dataset_id, correction_key)
);
CREATE INDEX IF NOT EXISTS clearml_uploaded_by_dataset ON clearml_uploaded(dataset_id);
`;

const hash = (letter: string): string => letter.repeat(64);
const key = (letter: string, rev: number): string => `${hash(letter)}:${rev}`;

function storeAtVersion1(): Database.Database {
  const db = new Database(':memory:');
  db.pragma('foreign_keys = ON');
  migrate(db, MIGRATIONS.slice(0, 1));
  return db;
}

function addTrack(db: Database.Database, letter: string, labelRev: number, uploadedRev: number): void {
  db.prepare(
    "INSERT INTO tracks (hash, name, title, label_rev, uploaded_rev, reviewed_at, added_at) VALUES (?, ?, ?, ?, ?, '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z')",
  ).run(hash(letter), letter, letter, labelRev, uploadedRev);
}

const pendingTitles = (db: Database.Database): string[] =>
  pendingCorrections(db, new TrackSummaries(db, new ModelRegistry(db))).map((c) => `${c.title}@${c.key.split(':')[1]}`);

describe('upload bookkeeping in the store', () => {
  it('migrates what older versions kept twice into one record, and pending corrections read only that', () => {
    const db = storeAtVersion1();
    addTrack(db, 'a', 3, 2); // uploaded at rev 2, changed since: pending at rev 3
    addTrack(db, 'b', 1, 1); // uploaded and unchanged
    addTrack(db, 'c', 2, 0); // its version was finalized, but the app stopped before marking the track
    addTrack(db, 'e', 1, 1); // marked uploaded with no ledger record
    addTrack(db, 'f', 1, 0); // in an open draft: still pending
    db.exec(OLD_LEDGER);
    const draft = db.prepare("INSERT INTO clearml_drafts VALUES (?, 'eno', 'corrections', ?, ?, ?, ?, ?)");
    const draftKey = db.prepare('INSERT INTO clearml_draft_keys VALUES (?, ?)');
    const uploaded = db.prepare('INSERT INTO clearml_uploaded VALUES (?, ?, ?, ?)');
    draft.run('d1', '1.0.0', null, 'finalized', '2026-01-01T10:00:00.000Z', '2026-01-01T10:05:00.000Z');
    for (const k of [key('a', 2), key('b', 1)]) {
      draftKey.run('d1', k);
      uploaded.run(k, 'd1', '1.0.0', '2026-01-01T10:05:00.000Z');
    }
    draft.run('d2', '1.0.1', 'd1', 'finalized', '2026-01-02T10:00:00.000Z', '2026-01-02T10:05:00.000Z');
    draftKey.run('d2', key('c', 2));
    uploaded.run(key('c', 2), 'd2', '1.0.1', '2026-01-02T10:05:00.000Z');
    draft.run('d3', '1.0.2', 'd2', 'open', '2026-01-03T10:00:00.000Z', '2026-01-03T10:00:00.000Z');
    draftKey.run('d3', key('f', 1));
    uploaded.run(key('g', 1), 'elsewhere', '0.9.0', '2025-12-31T10:00:00.000Z');
    db.prepare("INSERT INTO clearml_meta VALUES ('uploader_id', 'feedface')").run();

    migrate(db);

    expect(pendingTitles(db)).toEqual(['a@3', 'f@1']);
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE 'clearml_%'").pluck().all();
    expect(tables).toEqual([]);
    expect((db.prepare('PRAGMA table_info(tracks)').all() as Array<{ name: string }>).map((c) => c.name)).not.toContain('uploaded_rev');

    const ledger = new UploadLedger(db);
    expect(ledger.uploaderId()).toBe('feedface');
    expect(ledger.openDraft('eno', 'corrections')).toMatchObject({ datasetId: 'd3', version: '1.0.2', parentId: 'd2' });
    expect(ledger.draftKeys('d3')).toEqual([key('f', 1)]);
    expect(ledger.versionOf(key('c', 2))).toEqual({ datasetId: 'd2', version: '1.0.1' });
    expect(ledger.versionOf(key('g', 1))).toEqual({ datasetId: 'elsewhere', version: '0.9.0' });
    expect(ledger.versionOf(key('f', 1))).toBeUndefined();
    expect(ledger.history().map((h) => [h.datasetId, h.version, h.corrections])).toEqual([
      ['d2', '1.0.1', 1],
      ['d1', '1.0.0', 2],
      ['elsewhere', '0.9.0', 1],
    ]);

    // Finalizing the open draft is the one step that takes its corrections off the pending list.
    ledger.finalizeDraft('d3');
    expect(pendingTitles(db)).toEqual(['a@3']);
  });

  it('creates the same tables on a store that never had an upload ledger', () => {
    const db = storeAtVersion1();
    addTrack(db, 'a', 1, 0);
    migrate(db);
    expect(pendingTitles(db)).toEqual(['a@1']);
    const ledger = new UploadLedger(db);
    ledger.recordDraft({ datasetId: 'v1', project: 'eno', datasetName: 'corrections', version: '1.0.0', parentId: null, createdAt: '2026-01-01T00:00:00.000Z' }, [key('a', 1)]);
    expect(pendingTitles(db)).toEqual(['a@1']);
    ledger.finalizeDraft('v1');
    expect(pendingTitles(db)).toEqual([]);
    expect(ledger.uploaderId()).toMatch(/^[0-9a-f]{16}$/);
  });
});
