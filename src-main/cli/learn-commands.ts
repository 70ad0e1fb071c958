// `eno learn` (refit the tags learned from corrections, and say how good each is) and `eno similar`
// (the tracks of the library most like a file or track), on the library the app uses.
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { loadSettings } from '../core/app-settings';
import { DEFAULT_MODEL_KEY, modelDirFor } from '../core/model-catalog';
import { TaggingEngine } from '../inference/engine';
import { learnedTagRows } from '../learning/learned-queries';
import { Learner } from '../learning/learner';
import { nearest, queryOfEmbedding, queryOfTrack } from '../learning/similar';
import { sampledContentHash } from '../library/content-hash';
import { libraryDataDir } from '../library/data-dir';
import { DATABASE_FILE, ModelRegistry, openStore, type Db } from '../library/store';
import { trackRows } from '../library/track-query';
import { tagFile } from '../tagging/tag-file';
import type { CliIo } from './io';

export const LEARN_USAGE = `usage: eno learn [--data-dir DIR] [--json]

Refits the tags eno learns from your corrections (any tag with at least 3 tracks that have it
and 3 reviewed or rejected tracks that do not) and prints, per tag, its examples, its
cross-validated precision and recall at the threshold chosen, and how many tracks it suggests.
The app does this by itself after each correction; this is the same, now.

options:
  --data-dir DIR    library folder (default: $ENO_DATA_DIR, else ~/.local/share/eno)
  --json            one JSON object per tag instead of a table
  -h, --help        show this help`;

export const SIMILAR_USAGE = `usage: eno similar FILE|TRACK [--limit N] [--data-dir DIR] [--json]

The tracks of the library most like a file (in the library or not: a file outside it is tagged
first) or a track id, by cosine similarity of their embeddings, most similar first.

options:
  --limit N         how many (default 20)
  --data-dir DIR    library folder (default: $ENO_DATA_DIR, else ~/.local/share/eno)
  --json            one JSON object per track instead of a table
  -h, --help        show this help`;

/** Opens an existing library; null (after saying why) when there is none. */
function openLibraryStore(dataDirFlag: string | undefined, io: CliIo, command: string): Db | null {
  const dataDir = libraryDataDir({ explicit: dataDirFlag });
  if (!existsSync(resolve(dataDir, DATABASE_FILE))) {
    io.stderr(`eno ${command}: no library in ${dataDir} (tag some music with the app, or with "eno tag --data-dir ${dataDir}")\n`);
    return null;
  }
  io.stderr(`eno: library in ${dataDir}\n`);
  return openStore(dataDir);
}

const pct = (x: number | null): string => (x === null ? '   –' : `${Math.round(x * 100)}%`.padStart(4));

/** Runs `eno learn`; 0 when done, 1 when nothing can be learned, 2 on usage errors. */
export async function runLearn(args: readonly string[], io: CliIo): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({ args: [...args], options: { 'data-dir': { type: 'string' }, json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } } }));
  } catch (error) {
    io.stderr(`eno learn: ${(error as Error).message}\n\n${LEARN_USAGE}\n`);
    return 2;
  }
  if (values.help) {
    io.stdout(`${LEARN_USAGE}\n`);
    return 0;
  }
  const db = openLibraryStore(values['data-dir'], io, 'learn');
  if (!db) return 1;
  try {
    const report = new Learner(db).refit();
    const rows = learnedTagRows(db, new ModelRegistry(db).allTagNames());
    if (values.json) {
      for (const r of rows) io.stdout(`${JSON.stringify(r)}\n`);
    } else if (rows.length > 0) {
      const width = Math.max(3, ...rows.map((r) => r.tag.length));
      io.stdout(`${'tag'.padEnd(width)}  status         +ex  -ex  prec  rec  suggests\n`);
      for (const r of rows) {
        const status =
          r.status === 'too-few'
            ? `needs ${[r.positivesNeeded ? `${r.positivesNeeded} more with` : '', r.negativesNeeded ? `${r.negativesNeeded} more without` : ''].filter(Boolean).join(', ')}`
            : r.status === 'not-learnable'
              ? 'not learnable yet'
              : r.status === 'off'
                ? 'switched off'
                : 'learned';
        io.stdout(
          `${r.tag.padEnd(width)}  ${status.padEnd(13)} ${String(r.positives).padStart(4)} ${String(r.negatives).padStart(4)}  ${pct(r.precision)} ${pct(r.recall)}  ${r.status === 'learned' ? r.suggested : '–'}\n`,
        );
      }
    }
    io.stderr(
      `eno: ${report.learned} tag(s) learned from ${report.embeddings} track embedding(s)${report.space ? ` (${report.space})` : ''}; ` +
        `${report.fitted} refitted in ${report.durationMs} ms; ${report.added} suggestion(s) added, ${report.removed} removed\n`,
    );
    if (rows.length === 0 && !report.problem) {
      io.stderr('eno: no tag has examples yet: add a tag to a few tracks and mark a few others reviewed\n');
    }
    if (report.problem) {
      io.stderr(`eno learn: ${report.problem}\n`);
      return 1;
    }
    return 0;
  } finally {
    db.close();
  }
}

/** The track a FILE|TRACK argument names in the library, if it is in it. */
async function trackOf(db: Db, target: string): Promise<number | undefined> {
  if (/^\d+$/.test(target)) return (db.prepare('SELECT id FROM tracks WHERE id = ?').pluck().get(Number(target)) as number | undefined) ?? -1;
  const path = resolve(target);
  const byPath = db.prepare('SELECT track_id FROM files WHERE path = ?').pluck().get(path) as number | undefined;
  if (byPath !== undefined) return byPath;
  const { hash } = await sampledContentHash(path);
  return db.prepare('SELECT id FROM tracks WHERE hash = ?').pluck().get(hash) as number | undefined;
}

/** Tags a file outside the library with the library's active model; its embedding, or a reason. */
async function embeddingOfFile(dataDir: string, file: string, space: string): Promise<{ embedding: Float32Array } | { reason: string }> {
  const key = loadSettings(dataDir).activeModel ?? DEFAULT_MODEL_KEY;
  const modelDir = modelDirFor(dataDir, key) ?? modelDirFor(dataDir, DEFAULT_MODEL_KEY);
  if (!modelDir) return { reason: 'no model is installed to tag it with' };
  const engine = await TaggingEngine.open({ modelDir });
  try {
    const m = engine.bundle.manifest;
    if (`${m.id}@${m.version}` !== space) return { reason: `the library's embeddings are from ${space}, the model at hand is ${m.id}@${m.version}` };
    const outcome = await tagFile(engine, file);
    if (outcome.status === 'error') return { reason: outcome.reason };
    return { embedding: outcome.embedding };
  } finally {
    await engine.close();
  }
}

/** Runs `eno similar`; 0 when answered, 1 when it cannot be, 2 on usage errors. */
export async function runSimilar(args: readonly string[], io: CliIo): Promise<number> {
  let values;
  let positionals;
  try {
    ({ values, positionals } = parseArgs({
      args: [...args],
      allowPositionals: true,
      options: { 'data-dir': { type: 'string' }, limit: { type: 'string' }, json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
    }));
  } catch (error) {
    io.stderr(`eno similar: ${(error as Error).message}\n\n${SIMILAR_USAGE}\n`);
    return 2;
  }
  if (values.help) {
    io.stdout(`${SIMILAR_USAGE}\n`);
    return 0;
  }
  const limit = values.limit === undefined ? 20 : Number(values.limit);
  if (positionals.length !== 1 || !Number.isInteger(limit) || limit < 1 || limit > 1000) {
    io.stderr(`eno similar: give one file or track id${Number.isInteger(limit) ? '' : ', and --limit as a whole number'}\n\n${SIMILAR_USAGE}\n`);
    return 2;
  }
  const target = positionals[0]!;
  const dataDir = libraryDataDir({ explicit: values['data-dir'] });
  const db = openLibraryStore(values['data-dir'], io, 'similar');
  if (!db) return 1;
  try {
    const index = new Learner(db).currentIndex();
    if (!index || index.n === 0) {
      io.stderr('eno similar: no track of the library has an embedding yet (tag some music first)\n');
      return 1;
    }
    let trackId: number | undefined;
    try {
      trackId = await trackOf(db, target);
    } catch (error) {
      io.stderr(`eno similar: ${target}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message}\n`);
      return 1;
    }
    if (trackId === -1) {
      io.stderr(`eno similar: no track ${target} in the library\n`);
      return 1;
    }
    let query = trackId !== undefined ? queryOfTrack(index, trackId) : undefined;
    if (!query) {
      if (trackId !== undefined && /^\d+$/.test(target)) {
        io.stderr(`eno similar: track ${target} has no embedding from ${index.space} yet (not tagged, or it could not be read)\n`);
        return 1;
      }
      io.stderr(`eno: ${target} is not tagged in the library; tagging it now\n`);
      const got = await embeddingOfFile(dataDir, resolve(target), index.space);
      if ('reason' in got) {
        io.stderr(`eno similar: ${target}: ${got.reason}\n`);
        return 1;
      }
      query = queryOfEmbedding(index, got.embedding);
    }
    const neighbours = nearest(index, query, limit, trackId);
    const rows = new Map(trackRows(db, neighbours.map((n) => n.trackId)).map((r) => [r.id, r]));
    for (const n of neighbours) {
      const r = rows.get(n.trackId);
      if (!r || r.path === null) continue;
      if (values.json) {
        io.stdout(`${JSON.stringify({ track: r.id, score: Number(n.score.toFixed(4)), title: r.title, artist: r.artist, album: r.album, path: r.path })}\n`);
      } else {
        io.stdout(`${n.score.toFixed(3)}  ${String(r.id).padStart(6)}  ${r.title}${r.artist ? ` — ${r.artist}` : ''}  (${r.path})\n`);
      }
    }
    return 0;
  } finally {
    db.close();
  }
}
