// A library made before the hash covered only the audio: opening it migrates the store, the next
// scan gives each track its audio hash in place (same id, same labels), and from then on editing a
// file's tags keeps its track.
import Database from 'better-sqlite3';
import { mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { tempDir } from '../../test-support/fixtures';
import { openRecording, query } from '../../test-support/library-harness';
import { makeTaggedFile, TEST_FORMATS } from '../../test-support/tagged-files';
import { safeWriteFields } from '../file-tags/safe-write';
import { CONTENT_HASH_VERSION, sampledContentHash } from './content-hash';
import { MIGRATIONS, migrate } from './schema';
import { DATABASE_FILE } from './store';

const tmp = tempDir('eno-rehash-');
afterAll(tmp.cleanup);

describe('migrating to the audio-only content hash', () => {
  it('re-hashes old tracks at the first scan, keeping ids and labels, and tag edits keep the track', async () => {
    const music = join(tmp.dir, 'music');
    mkdirSync(music);
    const a = makeTaggedFile(join(music, 'a.mp3'), TEST_FORMATS[0]!, { seconds: 12 });
    const b = makeTaggedFile(join(music, 'b.flac'), TEST_FORMATS[2]!, { seconds: 12 });
    const data = join(tmp.dir, 'data');
    mkdirSync(data);

    // A store as the previous release left it: whole-file hashes, a label, a review mark.
    const old = new Database(join(data, DATABASE_FILE));
    migrate(old, MIGRATIONS.slice(0, 2)); // the schema before the audio-only hash (migration 3)
    const now = new Date().toISOString();
    old.prepare('INSERT INTO folders (id, path, added_at) VALUES (1, ?, ?)').run(music, now);
    for (const [id, path] of [
      [7, a],
      [9, b],
    ] as const) {
      const st = statSync(path);
      old.prepare("INSERT INTO tracks (id, hash, size_bytes, name, added_at) VALUES (?, ?, ?, ?, ?)").run(id, `v1-${id}`, st.size, `t${id}`, now);
      old.prepare('INSERT INTO files (path, track_id, folder_id, size_bytes, mtime_ms, added_at) VALUES (?, ?, 1, ?, ?, ?)').run(path, id, st.size, st.mtimeMs, now);
    }
    old.prepare("INSERT INTO labels (track_id, tag, state, updated_at) VALUES (7, 'shoegaze', 'added', ?)").run(now);
    old.prepare('UPDATE tracks SET reviewed_at = ? WHERE id = 9').run(now);
    old.close();

    const { library } = await openRecording(data, null, { runQueue: false });
    try {
      const db = new Database(join(data, DATABASE_FILE), { readonly: true });
      const versions = () => db.prepare('SELECT id, hash, hash_version FROM tracks ORDER BY id').all() as Array<{ id: number; hash: string; hash_version: number }>;
      expect(versions().map((t) => t.hash_version)).toEqual([1, 1]);

      library.rescan();
      await library.settled('scans');
      const after = versions();
      expect(after.map((t) => t.id)).toEqual([7, 9]);
      expect(after.map((t) => t.hash_version)).toEqual([CONTENT_HASH_VERSION, CONTENT_HASH_VERSION]);
      expect(after[0]!.hash).toBe((await sampledContentHash(a)).hash);
      expect(library.getTrack({ id: 7 }).finalTags).toEqual(['shoegaze']);
      expect(library.getTrack({ id: 9 }).reviewedAt).toBe(now);

      // Tags change, the track stays.
      for (const path of [a, b]) await safeWriteFields(path, { genre: ['Post-Rock'], mood: ['Calm'] }, { multiValue: 'separate', separator: '/' }, null);
      library.rescan();
      await library.settled('scans');
      expect(versions()).toEqual(after);
      expect(library.queryTracks(query({})).rows.map((r) => r.id).sort()).toEqual([7, 9]);
      db.close();
    } finally {
      await library.close();
    }
  }, 60_000);
});
