import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { tempDir } from '../../test-support/fixtures';
import { MIGRATIONS, migrate, StoreVersionError } from './schema';
import { DATABASE_FILE, getSetting, ModelRegistry, openStore, setSetting } from './store';

const tmp = tempDir();
afterAll(() => tmp.cleanup());

describe('the store', () => {
  it('is created at the latest schema with WAL, synchronous=FULL and foreign keys on', () => {
    const db = openStore(tmp.dir);
    expect(db.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('synchronous', { simple: true })).toBe(2);
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").pluck().all();
    for (const t of ['folders', 'tracks', 'files', 'predictions', 'track_tags', 'track_search', 'labels', 'history_steps', 'history_changes', 'user_tags', 'settings', 'jobs', 'models']) {
      expect(tables).toContain(t);
    }
    setSetting(db, 'k', 'v1');
    setSetting(db, 'k', 'v2');
    db.close();
  });

  it('keeps its data when reopened and runs no migration twice', () => {
    const db = openStore(tmp.dir);
    expect(getSetting(db, 'k')).toBe('v2');
    expect(migrate(db)).toBe(MIGRATIONS.length);
    db.close();
  });

  it('refuses a database from a newer eno instead of damaging it', () => {
    const db = openStore(tmp.dir);
    db.pragma(`user_version = ${MIGRATIONS.length + 1}`);
    db.close();
    expect(() => openStore(tmp.dir)).toThrow(StoreVersionError);
    const fix = new Database(join(tmp.dir, DATABASE_FILE));
    fix.pragma(`user_version = ${MIGRATIONS.length}`);
    fix.close();
  });

  it('runs each migration in a transaction: a failing one leaves the previous version intact', () => {
    const db = new Database(':memory:');
    const steps = ['CREATE TABLE a (x)', 'CREATE TABLE b (y); INSERT INTO a VALUES (1); NOT SQL'];
    expect(() => migrate(db, steps)).toThrow();
    expect(db.pragma('user_version', { simple: true })).toBe(1);
    expect(db.prepare("SELECT name FROM sqlite_master WHERE name = 'b'").get()).toBeUndefined();
    expect(db.prepare('SELECT count(*) FROM a').pluck().get()).toBe(0);
    expect(migrate(db, [steps[0]!, 'CREATE TABLE b (y)'])).toBe(2);
    db.close();
  });

  it('registers a model once and refuses another tag list under the same id and version', () => {
    const db = openStore(tmp.dir);
    const models = new ModelRegistry(db);
    const tags = [{ name: 'jazz', category: 'genre' as const, threshold: 0.2 }];
    const m = models.registerTags('m', '1', 'M', 'test', 3, tags);
    expect(m.key).toBe('m@1');
    expect(models.registerTags('m', '1', 'M', 'test', 3, tags)).toEqual(m);
    expect(() => models.registerTags('m', '1', 'M', 'test', 3, [...tags, { name: 'rock', category: 'genre', threshold: 0.2 }])).toThrow(
      /different tag list/,
    );
    expect(new ModelRegistry(db).get('m@1')?.tags).toEqual(tags);
    db.close();
  });

  it('moves learned tags\' examples to their own table, keeping them', () => {
    const db = new Database(join(tmp.dir, 'examples.db'));
    migrate(db, MIGRATIONS.slice(0, 5));
    const examples = JSON.stringify({ positives: ['a', 'b', 'c'], negatives: ['d', 'e', 'f'] });
    db.prepare("INSERT INTO learned_tags (tag, enabled, status, examples) VALUES ('shoegaze', 1, 'learned', ?), ('late-night', 1, 'too-few', NULL)").run(examples);
    expect(migrate(db)).toBe(MIGRATIONS.length);
    expect(db.prepare('SELECT tag, examples FROM learned_examples').all()).toEqual([{ tag: 'shoegaze', examples }]);
    expect((db.pragma('table_info(learned_tags)') as Array<{ name: string }>).map((c) => c.name)).not.toContain('examples');
    db.pragma('foreign_keys = ON');
    db.prepare("DELETE FROM learned_tags WHERE tag = 'shoegaze'").run();
    expect(db.prepare('SELECT count(*) FROM learned_examples').pluck().get()).toBe(0);
    db.close();
  });
});
