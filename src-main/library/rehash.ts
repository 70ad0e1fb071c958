// Moving a library to a new content-hash version without losing anything: a file whose track was
// identified by an older hash gives that track its new hash in place, so the track keeps its id,
// labels, review marks and predictions. When two tracks of the old hash turn out to be one piece
// of audio under the new one (the same recording with different tags), the file joins the track
// that already has the hash and brings its labels along; the other track leaves the table but
// stays in the store with its corrections.
import { CONTENT_HASH_VERSION } from './content-hash';
import type { Db } from './store';

/** The track that takes the new hash, or undefined when a new track is needed. */
export function rehashInPlace(db: Db, item: { readonly path: string; readonly hash: string; readonly sizeBytes: number }): number | undefined {
  const old = db
    .prepare(
      `SELECT t.id FROM files f JOIN tracks t ON t.id = f.track_id
       WHERE f.path = ? AND t.hash IS NOT NULL AND t.hash_version < ?`,
    )
    .pluck()
    .get(item.path, CONTENT_HASH_VERSION) as number | undefined;
  if (old === undefined) return undefined;
  db.prepare('UPDATE tracks SET hash = ?, hash_version = ?, size_bytes = ? WHERE id = ?').run(item.hash, CONTENT_HASH_VERSION, item.sizeBytes, old);
  return old;
}

/** Copies labels and the review mark of a track onto the track its audio now belongs to. */
export function carryLabels(db: Db, fromTrackId: number, toTrackId: number): void {
  if (fromTrackId === toTrackId) return;
  db.prepare(
    `INSERT OR IGNORE INTO labels (track_id, tag, state, updated_at, model_key, predicted_score)
     SELECT ?, tag, state, updated_at, model_key, predicted_score FROM labels WHERE track_id = ?`,
  ).run(toTrackId, fromTrackId);
  db.prepare(
    `UPDATE tracks SET reviewed_at = coalesce(reviewed_at, (SELECT reviewed_at FROM tracks WHERE id = ?)) WHERE id = ?`,
  ).run(fromTrackId, toTrackId);
}

/** The hash version of a track (the current one for tracks without a hash). */
export function hashVersionOf(db: Db, trackId: number): number {
  return (db.prepare('SELECT hash_version FROM tracks WHERE id = ?').pluck().get(trackId) as number | undefined) ?? CONTENT_HASH_VERSION;
}
