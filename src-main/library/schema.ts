// The store's tables, as numbered migrations. PRAGMA user_version holds how many have run; each runs
// in its own transaction, so a crash mid-migration leaves the previous version intact.
import type { Database } from 'better-sqlite3';

/** Migration N (1-based) brings user_version from N-1 to N. Append only; never edit a shipped one. */
export const MIGRATIONS: readonly string[] = [
  /* 1: the library */ `
  CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;

  -- Model bundles that produced predictions: their tag lists decode the score blobs.
  CREATE TABLE models (
    key TEXT PRIMARY KEY,                  -- "<id>@<version>"
    id TEXT NOT NULL,
    version TEXT NOT NULL,
    name TEXT NOT NULL,
    source TEXT NOT NULL,
    patch_sec REAL NOT NULL,
    tags TEXT NOT NULL,                    -- JSON [{name, category, threshold}] in output order
    added_at TEXT NOT NULL
  ) WITHOUT ROWID;

  CREATE TABLE folders (id INTEGER PRIMARY KEY, path TEXT NOT NULL UNIQUE, added_at TEXT NOT NULL);

  -- A track is a piece of audio: identified by its content hash, whatever its paths. Files that
  -- cannot be read have no hash and one row each, so their reason can be shown.
  CREATE TABLE tracks (
    id INTEGER PRIMARY KEY,
    hash TEXT UNIQUE,
    size_bytes INTEGER,
    name TEXT NOT NULL,                    -- file name without extension: the title until tags say better
    title TEXT,
    artist TEXT,
    album TEXT,
    duration_sec REAL,
    status TEXT NOT NULL DEFAULT 'untagged'
      CHECK (status IN ('untagged', 'queued', 'tagging', 'tagged', 'error')),
    error TEXT,
    reviewed_at TEXT,
    needs_review INTEGER NOT NULL DEFAULT 0,
    uncertainty REAL,                      -- min |score - threshold| over unlabelled tags
    peaks BLOB,                            -- int8 min/max pairs, at most 1024
    meta_state INTEGER NOT NULL DEFAULT 0, -- 0 not read yet, 1 read, 2 unreadable
    file_count INTEGER NOT NULL DEFAULT 0, -- kept by triggers on files; 0 = not in the library now
    label_rev INTEGER NOT NULL DEFAULT 0,
    uploaded_rev INTEGER NOT NULL DEFAULT 0,
    added_at TEXT NOT NULL,
    display_status TEXT GENERATED ALWAYS AS (
      CASE WHEN reviewed_at IS NOT NULL AND status IN ('tagged', 'untagged') THEN 'reviewed' ELSE status END
    ) VIRTUAL
  );
  -- Sort indexes cover only tracks in the table (file_count > 0, a term of every table query), so
  -- deep pages walk the index alone without visiting rows.
  CREATE INDEX tracks_by_title ON tracks (coalesce(title, name) COLLATE NOCASE) WHERE file_count > 0;
  CREATE INDEX tracks_by_artist ON tracks (artist COLLATE NOCASE) WHERE file_count > 0;
  CREATE INDEX tracks_by_album ON tracks (album COLLATE NOCASE) WHERE file_count > 0;
  CREATE INDEX tracks_by_duration ON tracks (duration_sec) WHERE file_count > 0;
  CREATE INDEX tracks_by_status ON tracks (display_status) WHERE file_count > 0;
  CREATE INDEX tracks_by_uncertainty ON tracks (uncertainty) WHERE file_count > 0;
  CREATE INDEX tracks_in_table ON tracks (id) WHERE file_count > 0;
  CREATE INDEX tracks_to_read ON tracks (meta_state) WHERE meta_state = 0;

  CREATE TABLE files (
    id INTEGER PRIMARY KEY,
    path TEXT NOT NULL UNIQUE,
    track_id INTEGER NOT NULL REFERENCES tracks (id) ON DELETE CASCADE,
    folder_id INTEGER REFERENCES folders (id) ON DELETE CASCADE,  -- null: dropped, not under a folder
    size_bytes INTEGER,
    mtime_ms REAL,
    added_at TEXT NOT NULL
  );
  CREATE INDEX files_by_track ON files (track_id);
  CREATE INDEX files_by_folder ON files (folder_id, track_id);
  CREATE TRIGGER files_count_insert AFTER INSERT ON files BEGIN
    UPDATE tracks SET file_count = file_count + 1 WHERE id = NEW.track_id;
  END;
  CREATE TRIGGER files_count_delete AFTER DELETE ON files BEGIN
    UPDATE tracks SET file_count = file_count - 1 WHERE id = OLD.track_id;
  END;
  CREATE TRIGGER files_count_move AFTER UPDATE OF track_id ON files WHEN OLD.track_id <> NEW.track_id BEGIN
    UPDATE tracks SET file_count = file_count - 1 WHERE id = OLD.track_id;
    UPDATE tracks SET file_count = file_count + 1 WHERE id = NEW.track_id;
  END;

  -- Everything a model said about a track, kept per model so a new model does not erase the old.
  CREATE TABLE predictions (
    id INTEGER PRIMARY KEY,
    track_id INTEGER NOT NULL REFERENCES tracks (id) ON DELETE CASCADE,
    model_key TEXT NOT NULL REFERENCES models (key),
    provider TEXT NOT NULL,
    created_at TEXT NOT NULL,
    patches INTEGER NOT NULL,
    taggram BLOB NOT NULL,                 -- float32 patches x tags, row-major
    scores BLOB NOT NULL,                  -- float32 per tag, manifest order
    embedding BLOB,                        -- float32
    UNIQUE (track_id, model_key)
  );

  -- Denormalised final tags of the latest prediction with corrections applied: the table's tag
  -- filter and its chips read this instead of decoding blobs.
  CREATE TABLE track_tags (
    track_id INTEGER NOT NULL REFERENCES tracks (id) ON DELETE CASCADE,
    tag TEXT NOT NULL,
    category TEXT,                         -- null for free-form tags
    confidence REAL NOT NULL,              -- 1 when the person confirmed it, else the model's score
    position INTEGER NOT NULL,             -- order among the track's final tags (best first)
    PRIMARY KEY (track_id, tag)
  ) WITHOUT ROWID;
  CREATE INDEX track_tags_by_tag ON track_tags (tag, confidence);

  CREATE VIRTUAL TABLE track_search USING fts5 (title, artist, album, path, tokenize = 'trigram');

  CREATE TABLE labels (
    track_id INTEGER NOT NULL REFERENCES tracks (id) ON DELETE CASCADE,
    tag TEXT NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('accepted', 'rejected', 'added')),
    updated_at TEXT NOT NULL,
    model_key TEXT,                        -- the prediction the label corrected
    predicted_score REAL,
    PRIMARY KEY (track_id, tag)
  ) WITHOUT ROWID;

  -- Undo history. Steps are never deleted: a new edit after undos marks the redo tail dropped.
  CREATE TABLE history_steps (
    id INTEGER PRIMARY KEY,
    description TEXT NOT NULL,
    created_at TEXT NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('done', 'undone', 'dropped'))
  );
  CREATE INDEX history_by_state ON history_steps (state, id);
  CREATE TABLE history_changes (
    step_id INTEGER NOT NULL REFERENCES history_steps (id) ON DELETE CASCADE,
    seq INTEGER NOT NULL,
    track_id INTEGER NOT NULL REFERENCES tracks (id) ON DELETE CASCADE,
    tag TEXT,                              -- null: a review mark
    before TEXT,                           -- JSON label value or reviewed_at
    after TEXT,
    PRIMARY KEY (step_id, seq)
  ) WITHOUT ROWID;
  CREATE INDEX history_by_track ON history_changes (track_id);

  CREATE TABLE user_tags (tag TEXT PRIMARY KEY COLLATE NOCASE, added_at TEXT NOT NULL) WITHOUT ROWID;

  -- The tagging queue: lower priority first (0 dropped files, 1 folder scans, 2 re-tags), then seq.
  CREATE TABLE jobs (
    track_id INTEGER PRIMARY KEY REFERENCES tracks (id) ON DELETE CASCADE,
    priority INTEGER NOT NULL,
    seq INTEGER NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('queued', 'running'))
  );
  CREATE INDEX jobs_in_order ON jobs (state, priority, seq);
  `,
  /* 2: upload bookkeeping in one place */ `
  -- Dataset versions this installation created: the draft an upload works on (open), the versions
  -- that reached the server finalized, and the drafts given up (archived on the server). A
  -- correction snapshot counts as uploaded when a finalized version holds it; nothing else records it.
  CREATE TABLE upload_versions (
    dataset_id TEXT PRIMARY KEY,           -- the version's task id on the ClearML server
    project TEXT NOT NULL,                 -- '' for uploads recorded before this table existed
    dataset_name TEXT NOT NULL,
    version TEXT NOT NULL,
    parent_id TEXT,
    state TEXT NOT NULL CHECK (state IN ('open', 'finalized', 'abandoned')),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
  ) WITHOUT ROWID;
  CREATE INDEX upload_versions_open ON upload_versions (project, dataset_name, state, created_at);
  CREATE TABLE upload_version_keys (
    dataset_id TEXT NOT NULL REFERENCES upload_versions (dataset_id) ON DELETE CASCADE,
    correction_key TEXT NOT NULL,          -- "<track hash>:<label_rev>"
    track_hash TEXT,                       -- both parts of the key, null when it is not one
    label_rev INTEGER,
    PRIMARY KEY (dataset_id, correction_key)
  ) WITHOUT ROWID;
  CREATE INDEX upload_keys_by_track ON upload_version_keys (track_hash, label_rev);
  CREATE TABLE upload_meta (name TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;

  -- Earlier versions kept this in tables of their own, created outside these migrations over a
  -- second connection, and also in tracks.uploaded_rev. Move it all here, then drop the copies.
  CREATE TABLE IF NOT EXISTS clearml_meta (name TEXT PRIMARY KEY, value TEXT NOT NULL);
  CREATE TABLE IF NOT EXISTS clearml_uploaded (
    correction_key TEXT PRIMARY KEY, dataset_id TEXT NOT NULL, dataset_version TEXT NOT NULL, uploaded_at TEXT NOT NULL
  );
  CREATE TABLE IF NOT EXISTS clearml_drafts (
    dataset_id TEXT PRIMARY KEY, project TEXT NOT NULL, dataset_name TEXT NOT NULL, version TEXT NOT NULL,
    parent_id TEXT, state TEXT NOT NULL, created_at TEXT NOT NULL, updated_at TEXT NOT NULL
  );
  CREATE TABLE IF NOT EXISTS clearml_draft_keys (dataset_id TEXT NOT NULL, correction_key TEXT NOT NULL, PRIMARY KEY (dataset_id, correction_key));

  INSERT INTO upload_meta (name, value) SELECT name, value FROM clearml_meta;
  INSERT INTO upload_versions (dataset_id, project, dataset_name, version, parent_id, state, created_at, updated_at)
    SELECT dataset_id, project, dataset_name, version, parent_id, state, created_at, updated_at FROM clearml_drafts;
  INSERT INTO upload_version_keys (dataset_id, correction_key) SELECT dataset_id, correction_key FROM clearml_draft_keys
    WHERE dataset_id IN (SELECT dataset_id FROM upload_versions);
  -- Uploaded keys whose version the drafts table does not know.
  INSERT OR IGNORE INTO upload_versions (dataset_id, project, dataset_name, version, parent_id, state, created_at, updated_at)
    SELECT dataset_id, '', '', MAX(dataset_version), NULL, 'finalized', MIN(uploaded_at), MAX(uploaded_at)
    FROM clearml_uploaded GROUP BY dataset_id;
  UPDATE upload_versions SET state = 'finalized' WHERE dataset_id IN (SELECT dataset_id FROM clearml_uploaded);
  INSERT OR IGNORE INTO upload_version_keys (dataset_id, correction_key) SELECT dataset_id, correction_key FROM clearml_uploaded;
  UPDATE upload_version_keys SET
    track_hash = substr(correction_key, 1, 64),
    label_rev = CAST(substr(correction_key, 66) AS INTEGER)
  WHERE length(correction_key) > 65 AND substr(correction_key, 65, 1) = ':'
    AND substr(correction_key, 1, 64) NOT GLOB '*[^0-9a-f]*' AND substr(correction_key, 66) NOT GLOB '*[^0-9]*';
  -- Tracks marked uploaded with no finalized version holding that revision.
  INSERT INTO upload_versions (dataset_id, project, dataset_name, version, parent_id, state, created_at, updated_at)
    SELECT 'recorded-before-upload-versions', '', '', '', NULL, 'finalized', datetime('now'), datetime('now')
    WHERE EXISTS (
      SELECT 1 FROM tracks t WHERE t.hash IS NOT NULL AND t.uploaded_rev > 0 AND t.uploaded_rev > coalesce((
        SELECT MAX(k.label_rev) FROM upload_version_keys k JOIN upload_versions v USING (dataset_id)
        WHERE v.state = 'finalized' AND k.track_hash = t.hash), 0));
  INSERT INTO upload_version_keys (dataset_id, correction_key, track_hash, label_rev)
    SELECT 'recorded-before-upload-versions', t.hash || ':' || t.uploaded_rev, t.hash, t.uploaded_rev FROM tracks t
    WHERE t.hash IS NOT NULL AND t.uploaded_rev > 0 AND t.uploaded_rev > coalesce((
      SELECT MAX(k.label_rev) FROM upload_version_keys k JOIN upload_versions v USING (dataset_id)
      WHERE v.state = 'finalized' AND k.track_hash = t.hash), 0);

  DROP TABLE clearml_draft_keys;
  DROP TABLE clearml_drafts;
  DROP TABLE clearml_uploaded;
  DROP TABLE clearml_meta;
  ALTER TABLE tracks DROP COLUMN uploaded_rev;
  `,
  /* 3: tags written into music files; the content hash covers the audio only */ `
  -- The hash version each track was identified with; version 1 hashes (tags included) are
  -- replaced by audio-only ones at the next scan, in place, so ids and labels stay.
  ALTER TABLE tracks ADD COLUMN hash_version INTEGER NOT NULL DEFAULT 2;
  UPDATE tracks SET hash_version = 1 WHERE hash IS NOT NULL;
  -- Read the files' tags again, for their genre and mood values.
  UPDATE tracks SET meta_state = 0 WHERE meta_state = 1;

  -- Genre and mood values a track's file carried when it was last read.
  CREATE TABLE file_tag_values (
    track_id INTEGER NOT NULL REFERENCES tracks (id) ON DELETE CASCADE,
    field TEXT NOT NULL CHECK (field IN ('genre', 'mood')),
    position INTEGER NOT NULL,
    value TEXT NOT NULL,
    PRIMARY KEY (track_id, field, position)
  ) WITHOUT ROWID;

  -- Labels a person made from the file's own genre or mood values.
  CREATE TABLE file_labels (
    track_id INTEGER NOT NULL REFERENCES tracks (id) ON DELETE CASCADE,
    tag TEXT NOT NULL,
    field TEXT NOT NULL,
    added_at TEXT NOT NULL,
    PRIMARY KEY (track_id, tag)
  ) WITHOUT ROWID;

  -- Writes into files: one batch per request (tracks, a folder, the library, or an undo).
  CREATE TABLE tag_write_batches (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('write', 'undo')),
    description TEXT NOT NULL,
    settings TEXT NOT NULL,                -- JSON: the settings the batch was planned with
    created_at TEXT NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('running', 'paused', 'done', 'cancelled'))
  );
  CREATE TABLE tag_write_items (
    id INTEGER PRIMARY KEY,
    batch_id INTEGER NOT NULL REFERENCES tag_write_batches (id) ON DELETE CASCADE,
    track_id INTEGER NOT NULL REFERENCES tracks (id) ON DELETE CASCADE,
    path TEXT NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('pending', 'written', 'unchanged', 'failed', 'skipped', 'undone')),
    undoes INTEGER REFERENCES tag_write_items (id),  -- undo batches: the write this item reverts
    error_code TEXT,
    error TEXT,
    before TEXT,                           -- JSON {genre, mood} as the file had them
    shown_before TEXT,                     -- the same as readers showed them (an ID3v1 genre standing in)
    after TEXT,                            -- JSON {genre, mood} as written
    tag_kind TEXT,
    done_at TEXT
  );
  CREATE INDEX tag_write_items_by_batch ON tag_write_items (batch_id, state, id);
  CREATE INDEX tag_write_items_by_track ON tag_write_items (track_id, id);
  `,
  /* 4: learned tags: classifiers fitted on this device from a person's examples */ `
  -- One row per tag a person gave examples of (or switched off). The classifier, its threshold and
  -- its cross-validated precision and recall are written in one transaction with its scores.
  CREATE TABLE learned_tags (
    tag TEXT PRIMARY KEY,
    enabled INTEGER NOT NULL DEFAULT 1,    -- 0: switched off by the person, never fitted or suggested
    status TEXT NOT NULL CHECK (status IN ('learned', 'not-learnable', 'too-few', 'off')),
    space TEXT,                            -- the embedding it reads: model keys joined by '+'
    classifier TEXT,                       -- JSON: kind, standardiser and weights
    threshold REAL,
    positives INTEGER NOT NULL DEFAULT 0,
    negatives INTEGER NOT NULL DEFAULT 0,
    precision REAL,                        -- cross-validated, at the threshold
    recall REAL,
    auc REAL,
    examples TEXT,                         -- JSON {positives, negatives}: track hashes it was fitted on
    fitted_at TEXT,
    revision INTEGER NOT NULL DEFAULT 0,   -- bumped by every fit
    fit_key TEXT,                          -- what it was fitted on (space, classifier, examples)
    scored_generation TEXT                 -- the state of the embeddings its scores were computed on
  ) WITHOUT ROWID;

  -- Scores of a learned tag: every track at or above its threshold (a suggestion) and the ones
  -- nearest below it (doubt that orders the review queue).
  CREATE TABLE learned_scores (
    tag TEXT NOT NULL REFERENCES learned_tags (tag) ON DELETE CASCADE ON UPDATE CASCADE,
    track_id INTEGER NOT NULL REFERENCES tracks (id) ON DELETE CASCADE,
    score REAL NOT NULL,
    PRIMARY KEY (tag, track_id)
  ) WITHOUT ROWID;
  CREATE INDEX learned_scores_by_track ON learned_scores (track_id);

  -- The review queue's key becomes min(model doubt, learned doubt); the model's part is kept apart.
  ALTER TABLE tracks ADD COLUMN model_uncertainty REAL;
  UPDATE tracks SET model_uncertainty = uncertainty;

  -- A correction of a tag a learned classifier suggested keeps the score it had.
  ALTER TABLE labels ADD COLUMN learned_score REAL;
  `,
  /* 5: model sets (each final tag keeps its model) and music or not */ `
  -- 'music' or 'not music' as the model set judged the audio; null when no model of the set can tell.
  ALTER TABLE tracks ADD COLUMN music_verdict TEXT;
  -- 1 when the person said a track judged not music is music after all.
  ALTER TABLE tracks ADD COLUMN music_override INTEGER NOT NULL DEFAULT 0;
  -- The model a final tag came from; null for tags a person added that no model knows.
  ALTER TABLE track_tags ADD COLUMN model_key TEXT;
  -- The table's status learns "not music" (a tagged track judged not music, nobody said otherwise).
  DROP INDEX tracks_by_status;
  ALTER TABLE tracks DROP COLUMN display_status;
  ALTER TABLE tracks ADD COLUMN display_status TEXT GENERATED ALWAYS AS (
    CASE WHEN reviewed_at IS NOT NULL AND status IN ('tagged', 'untagged') THEN 'reviewed'
         WHEN status = 'tagged' AND music_verdict = 'not music' AND music_override = 0 THEN 'not music'
         ELSE status END
  ) VIRTUAL;
  CREATE INDEX tracks_by_status ON tracks (display_status) WHERE file_count > 0;
  `,
  // 6: the examples a learned tag was fitted on live apart from it. They are large (a hash per
  // track), and every learned score's reference to its tag read them: storing a tag's 2,000
  // suggestions took a third of a second at 10,000 examples and kept other writers waiting.
  `
  CREATE TABLE learned_examples (
    tag TEXT PRIMARY KEY REFERENCES learned_tags (tag) ON DELETE CASCADE ON UPDATE CASCADE,
    examples TEXT NOT NULL                 -- JSON {positives, negatives}: track hashes it was fitted on
  );
  INSERT INTO learned_examples (tag, examples) SELECT tag, examples FROM learned_tags WHERE examples IS NOT NULL;
  ALTER TABLE learned_tags DROP COLUMN examples;
  `,
];

/** Thrown when the store was written by a newer eno than this one. */
export class StoreVersionError extends Error {
  override name = 'StoreVersionError';
}

/** Runs the migrations the database has not had yet; returns the resulting version. */
export function migrate(db: Database, migrations: readonly string[] = MIGRATIONS): number {
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > migrations.length) {
    throw new StoreVersionError(
      `the library database is from a newer version of eno (schema ${current}, this one knows ${migrations.length}); update eno`,
    );
  }
  for (let version = current + 1; version <= migrations.length; version++) {
    db.transaction(() => {
      db.exec(migrations[version - 1]!);
      db.pragma(`user_version = ${version}`);
    }).immediate();
  }
  return migrations.length;
}
