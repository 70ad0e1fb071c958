// Synthetic library rows (no audio) for query tests and the library benchmark: tracks, files,
// predictions and summaries written through the store's own summary code, so what is measured is
// what the app stores.
import { createHash } from 'node:crypto';
import { mkdirSync, utimesSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { ModelTag } from '../src-main/inference/manifest';
import { float32Blob } from '../src-main/library/blobs';
import { JobStore } from '../src-main/library/job-store';
import { ModelRegistry, nowIso, setSetting, SETTINGS, type Db, type StoredModel } from '../src-main/library/store';
import { TrackSummaries } from '../src-main/library/summary';

/** Size and modification time the store records for every synthetic file. */
const SYNTHETIC_FILE_BYTES = 1000;
const SYNTHETIC_MTIME_MS = 1;

/** One synthetic track; scores default to 0 for tags not named. */
export interface SyntheticTrack {
  readonly path: string;
  readonly title?: string | null;
  readonly artist?: string | null;
  readonly album?: string | null;
  readonly durationSec?: number | null;
  readonly scores?: Readonly<Record<string, number>>;
  /** Default 'tagged' (with a prediction); 'untagged', 'queued' and 'error' get none. */
  readonly status?: 'untagged' | 'queued' | 'tagged' | 'error';
  readonly reviewedAt?: string | null;
  /** The model's embedding of the track (default: 8 values of 0.5). */
  readonly embedding?: Float32Array;
}

/** A small genre/descriptor vocabulary shaped like the default model's. */
export const SYNTHETIC_TAGS: readonly ModelTag[] = [
  ...['rock', 'pop', 'jazz', 'electronic', 'folk', 'blues', 'ambient', 'Hip-Hop', 'metal', 'soul'].map((name) => ({
    name,
    category: 'genre' as const,
    threshold: 0.2,
  })),
  ...['Mellow', 'sad', 'happy', 'chill', 'party'].map((name) => ({ name, category: 'descriptor' as const, threshold: 0.15 })),
  { name: 'female vocalists', category: 'vocal', threshold: 0.2 },
  { name: '80s', category: 'era', threshold: 0.15 },
];

/** Registers the synthetic model and makes it active. */
export function registerSyntheticModel(db: Db, tags: readonly ModelTag[] = SYNTHETIC_TAGS): StoredModel {
  const model = new ModelRegistry(db).registerTags('synthetic', '1', 'synthetic', 'test', 3, tags);
  setSetting(db, SETTINGS.activeModel, model.key);
  return model;
}

/** Adds a library folder; returns its id. */
export function seedFolder(db: Db, path: string): number {
  return Number(db.prepare('INSERT INTO folders (path, added_at) VALUES (?, ?)').run(path, nowIso()).lastInsertRowid);
}

/** Writes the tracks in one transaction (their files in `folderId`, else loose); returns their ids in order. */
export function seedTracks(db: Db, tracks: readonly SyntheticTrack[], tags: readonly ModelTag[] = SYNTHETIC_TAGS, folderId: number | null = null): number[] {
  const models = new ModelRegistry(db);
  const model = registerSyntheticModel(db, tags);
  const summaries = new TrackSummaries(db, models);
  const jobs = new JobStore(db);
  const insertTrack = db.prepare(
    `INSERT INTO tracks (hash, size_bytes, name, title, artist, album, duration_sec, status, error, reviewed_at, meta_state, added_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?)`,
  );
  const insertFile = db.prepare('INSERT INTO files (path, track_id, folder_id, size_bytes, mtime_ms, added_at) VALUES (?, ?, ?, ?, ?, ?)');
  const insertPrediction = db.prepare(
    `INSERT INTO predictions (track_id, model_key, provider, created_at, patches, taggram, scores, embedding)
     VALUES (?, ?, 'cpu', ?, ?, ?, ?, ?)`,
  );
  const now = nowIso();
  return db.transaction(() =>
    tracks.map((t) => {
      const hash = createHash('sha256').update(t.path).digest('hex');
      const name = t.path.slice(t.path.lastIndexOf('/') + 1).replace(/\.[^.]*$/, '');
      const status = t.status ?? 'tagged';
      const id = Number(
        insertTrack.run(
          hash,
          SYNTHETIC_FILE_BYTES,
          name,
          t.title ?? null,
          t.artist ?? null,
          t.album ?? null,
          t.durationSec ?? null,
          status === 'queued' ? 'untagged' : status,
          status === 'error' ? 'not an audio file ffmpeg can read (damaged, or not audio)' : null,
          t.reviewedAt ?? null,
          now,
        ).lastInsertRowid,
      );
      insertFile.run(t.path, id, folderId, SYNTHETIC_FILE_BYTES, SYNTHETIC_MTIME_MS, now);
      if (status === 'tagged') {
        const scores = tags.map((tag) => t.scores?.[tag.name] ?? 0);
        const patches = 4;
        const taggram = new Float32Array(patches * tags.length);
        for (let p = 0; p < patches; p++) scores.forEach((s, i) => (taggram[p * tags.length + i] = s));
        insertPrediction.run(id, model.key, now, patches, float32Blob(taggram), float32Blob(scores), float32Blob(t.embedding ?? new Float32Array(8).fill(0.5)));
      }
      if (status === 'queued') jobs.enqueue([id], 1);
      summaries.refresh(id);
      summaries.refreshSearch(id);
      return id;
    }),
  )();
}

/** A deterministic pseudo-random generator (mulberry32), so benchmarks are repeatable. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const WORDS = [
  'midnight', 'river', 'glass', 'echo', 'velvet', 'static', 'summer', 'hollow', 'neon', 'paper', 'silver', 'ocean',
  'ghost', 'fever', 'garden', 'signal', 'winter', 'golden', 'broken', 'shadow', 'electric', 'quiet', 'wild', 'distant',
];

/** `count` tracks with plausible names, artists, albums, durations and scores. */
export function randomTracks(count: number, seed = 1): SyntheticTrack[] {
  const rnd = seededRandom(seed);
  const pick = (): string => WORDS[Math.floor(rnd() * WORDS.length)]!;
  const cap = (w: string): string => w[0]!.toUpperCase() + w.slice(1);
  const artists = Array.from({ length: Math.max(1, Math.floor(count / 12)) }, (_, i) => `${cap(pick())} ${cap(pick())} ${i}`);
  return Array.from({ length: count }, (_, i) => {
    const artist = artists[Math.floor(rnd() * artists.length)]!;
    const album = `${cap(pick())} ${pick()}`;
    const title = `${cap(pick())} ${pick()} ${pick()}`;
    const scores: Record<string, number> = {};
    for (const tag of SYNTHETIC_TAGS) scores[tag.name] = rnd() < 0.25 ? rnd() : rnd() * 0.1;
    const r = rnd();
    return {
      path: `/music/${artist}/${album}/${String(i).padStart(6, '0')} ${title}.mp3`,
      title: rnd() < 0.9 ? title : null,
      artist: rnd() < 0.95 ? artist : null,
      album,
      durationSec: 60 + Math.floor(rnd() * 400),
      scores,
      status: r < 0.9 ? 'tagged' : r < 0.95 ? 'untagged' : 'error',
      reviewedAt: rnd() < 0.1 ? nowIso() : null,
    };
  });
}

/**
 * Creates the tracks' files (placeholder bytes with the size and time the store records), so a
 * running app that checks its files at start finds every one unchanged instead of removing them.
 */
export function writeSyntheticFiles(tracks: readonly SyntheticTrack[]): void {
  const bytes = Buffer.alloc(SYNTHETIC_FILE_BYTES);
  const made = new Set<string>();
  for (const t of tracks) {
    const dir = dirname(t.path);
    if (!made.has(dir)) {
      mkdirSync(dir, { recursive: true });
      made.add(dir);
    }
    writeFileSync(t.path, bytes);
    utimesSync(t.path, SYNTHETIC_MTIME_MS / 1000, SYNTHETIC_MTIME_MS / 1000);
  }
}
