// What a change of the model set does to the library without re-tagging what it need not: every
// track's final tags are rebuilt from the stored predictions of the new set (a model taken out
// stops counting at once), music verdicts go when no model of the set can judge music, and the
// tracks the set still has to tag (no prediction from one of its models, or no verdict where the
// set gives one) are queued.
import { PRIORITY, type JobStore } from './job-store';
import { activeModelKeys, type Db } from './store';
import type { TrackSummaries } from './summary';

/** Tracks rebuilt per transaction, so other work gets the store between chunks. */
const CHUNK = 500;

/** The tracks the active set still has to tag. */
export function tracksToTag(db: Db, judgesMusic: boolean): number[] {
  const active = activeModelKeys(db);
  return db
    .prepare(
      `SELECT id FROM tracks t WHERE hash IS NOT NULL AND file_count > 0
         AND ((SELECT count(DISTINCT model_key) FROM predictions p WHERE p.track_id = t.id
               AND p.model_key IN (SELECT value FROM json_each(?))) < ?
              OR (? AND t.status = 'tagged' AND t.music_verdict IS NULL))`,
    )
    .pluck()
    .all(JSON.stringify(active), active.length, judgesMusic ? 1 : 0) as number[];
}

/** Queues the tracks the set still has to tag, behind other work; returns them. */
export function queueForSet(db: Db, jobs: JobStore, judgesMusic: boolean): number[] {
  const ids = tracksToTag(db, judgesMusic);
  db.transaction(() => {
    if (!judgesMusic) db.prepare('UPDATE tracks SET music_verdict = NULL WHERE music_verdict IS NOT NULL').run();
    jobs.enqueue(ids, PRIORITY.retag);
  }).immediate();
  return ids;
}

/**
 * Rebuilds every track's final tags and review key from the set's stored predictions, a chunk at
 * a time between other work. Calls `changed` with each chunk's ids; resolves when done.
 */
export async function rebuildSummaries(db: Db, summaries: TrackSummaries, changed: (ids: number[]) => void, isOpen: () => boolean): Promise<number> {
  const ids = db.prepare('SELECT id FROM tracks WHERE hash IS NOT NULL ORDER BY id').pluck().all() as number[];
  for (let i = 0; i < ids.length && isOpen(); i += CHUNK) {
    const chunk = ids.slice(i, i + CHUNK);
    db.transaction(() => chunk.forEach((id) => summaries.refresh(id))).immediate();
    changed(chunk);
    await new Promise((r) => setImmediate(r));
  }
  return ids.length;
}
