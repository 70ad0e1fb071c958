// Reads the corrections waiting for upload from the store and records what was uploaded. A
// track's label_rev grows with every change; uploaded_rev is the revision the dataset has.
import { existsSync } from 'node:fs';
import type { LabelState } from '../../src-preload/contract';
import { needsUpload, parseCorrectionKey, toCorrection, type CorrectionForUpload } from '../review/corrections';
import { blobFloat32 } from './blobs';
import type { Db } from './store';
import type { TrackSummaries } from './summary';

interface Candidate {
  id: number;
  hash: string;
  label_rev: number;
  uploaded_rev: number;
  title: string | null;
  artist: string | null;
  album: string | null;
  duration_sec: number | null;
  reviewed_at: string | null;
}

/** Every track with corrections newer than what was uploaded, oldest track first. */
export function pendingCorrections(db: Db, summaries: TrackSummaries): CorrectionForUpload[] {
  const candidates = db
    .prepare(
      `SELECT id, hash, label_rev, uploaded_rev, title, artist, album, duration_sec, reviewed_at
       FROM tracks WHERE hash IS NOT NULL AND label_rev > uploaded_rev ORDER BY id`,
    )
    .all() as Candidate[];
  const out: CorrectionForUpload[] = [];
  for (const c of candidates) {
    const labels = new Map(
      (db.prepare('SELECT tag, state FROM labels WHERE track_id = ?').all(c.id) as Array<{ tag: string; state: LabelState }>).map(
        (l) => [l.tag, l.state],
      ),
    );
    const pending = needsUpload({
      labelRev: c.label_rev,
      uploadedRev: c.uploaded_rev,
      labelCount: labels.size,
      reviewed: c.reviewed_at !== null,
    });
    if (!pending) continue;
    const latest = summaries.latestPrediction(c.id);
    const embedding = latest
      ? (db.prepare('SELECT embedding FROM predictions WHERE id = ?').pluck().get(latest.id) as Buffer | null)
      : null;
    const paths = db.prepare('SELECT path FROM files WHERE track_id = ? ORDER BY id').pluck().all(c.id) as string[];
    out.push(
      toCorrection({
        trackHash: c.hash,
        labelRev: c.label_rev,
        artist: c.artist,
        album: c.album,
        title: c.title,
        durationSec: c.duration_sec,
        predicted: latest?.predicted ?? [],
        labels,
        modelId: latest?.model.id ?? null,
        modelVersion: latest?.model.version ?? null,
        reviewedAt: c.reviewed_at,
        embedding: embedding ? blobFloat32(embedding) : null,
        audioPath: paths.find((p) => existsSync(p)) ?? null,
      }),
    );
  }
  return out;
}

/** Records that these snapshots reached the dataset; later revisions stay pending. Returns how many applied. */
export function markUploaded(db: Db, keys: readonly string[]): number {
  const update = db.prepare(
    'UPDATE tracks SET uploaded_rev = ? WHERE hash = ? AND uploaded_rev < ? AND label_rev >= ?',
  );
  return db.transaction(() => {
    let n = 0;
    for (const key of keys) {
      const k = parseCorrectionKey(key);
      if (k) n += update.run(k.labelRev, k.hash, k.labelRev, k.labelRev).changes;
    }
    return n;
  })();
}
