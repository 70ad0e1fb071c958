// Two connections writing one library (the app and its learning worker, or the app and `eno tag
// --data-dir`): a transaction that reads and then writes must wait for the other writer, not fail.
// Regression: deferred transactions failed at once with "database is locked" (SQLITE_BUSY_SNAPSHOT)
// when the other connection committed between their first read and their first write.
import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { afterAll, describe, expect, it } from 'vitest';
import { tempDir } from '../../test-support/fixtures';
import { openRecording } from '../../test-support/library-harness';
import { randomTracks, seedTracks } from '../../test-support/synthetic-library';
import { DATABASE_FILE, openStore } from './store';

const tmp = tempDir();
const SRC_MAIN = join(dirname(fileURLToPath(import.meta.url)), '..');
afterAll(() => tmp.cleanup());

/** A thread that commits small read-then-write transactions as fast as it can until told to stop. */
function busyWriter(dbPath: string): { stop: () => Promise<number> } {
  const code = `
    const { parentPort, workerData } = require('node:worker_threads');
    const Database = require('better-sqlite3');
    const db = new Database(workerData, { timeout: 5000 });
    db.pragma('busy_timeout = 5000');
    let n = 0, stop = false;
    parentPort.on('message', () => { stop = true; });
    const step = db.transaction(() => {
      const v = db.prepare("SELECT value FROM settings WHERE key = 'writer'").pluck().get();
      db.prepare("INSERT INTO settings (key, value) VALUES ('writer', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value").run(String(Number(v ?? 0) + 1));
    });
    (function loop() {
      for (let i = 0; i < 20; i++) { step.immediate(); n++; }
      if (stop) { db.close(); parentPort.postMessage(n); } else setImmediate(loop);
    })();`;
  const worker = new Worker(code, { eval: true, workerData: dbPath });
  return {
    stop: () =>
      new Promise((resolve, reject) => {
        worker.once('message', (n: number) => resolve(n));
        worker.once('error', reject);
        worker.postMessage('stop');
      }),
  };
}

describe('two connections writing one library', () => {
  it('corrections wait for the other writer instead of failing with "database is locked"', async () => {
    const data = join(tmp.dir, 'data');
    mkdirSync(data);
    const db = openStore(data);
    const ids = seedTracks(db, randomTracks(30, 5).map((t) => ({ ...t, status: 'tagged' as const })));
    db.close();
    const { library } = await openRecording(data, null, { runQueue: false });
    const writer = busyWriter(join(data, DATABASE_FILE));
    try {
      for (let i = 0; i < 300; i++) {
        // label() reads the track's labels and prediction, then writes: the pattern that failed.
        library.label({ trackIds: [ids[i % ids.length]!], action: i % 2 ? 'clear' : 'add', tag: 'probe' });
        if (i % 10 === 0) await new Promise((r) => setImmediate(r));
      }
    } finally {
      const writes = await writer.stop();
      await library.close();
      expect(writes).toBeGreaterThan(0);
    }
  });

  // Regression: "It is music" wrote in a deferred transaction, the one kind the other writer can fail.
  it('every transaction of the product code starts as IMMEDIATE', () => {
    const deferred: string[] = [];
    const walk = (dir: string): void => {
      for (const entry of readdirSync(dir, { withFileTypes: true })) {
        const path = join(dir, entry.name);
        if (entry.isDirectory()) walk(path);
        else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts')) {
          const text = readFileSync(path, 'utf8');
          for (let at = text.indexOf('.transaction('); at >= 0; at = text.indexOf('.transaction(', at + 1)) {
            // The call's closing parenthesis, then what follows it.
            let depth = 0;
            let end = at + '.transaction'.length;
            for (; end < text.length; end++) {
              if (text[end] === '(') depth++;
              else if (text[end] === ')' && --depth === 0) break;
            }
            if (!/^\s*\.immediate\(/.test(text.slice(end + 1, end + 40))) deferred.push(`${relative(SRC_MAIN, path)}:${text.slice(0, at).split('\n').length}`);
          }
        }
      }
    };
    walk(SRC_MAIN);
    expect(deferred).toEqual([]);
  });
});
