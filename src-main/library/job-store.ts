// The persisted tagging queue. A job row exists from the moment a track is queued until its result
// is written (in the same transaction as the result), so a crash or quit loses no work: jobs left
// running go back to queued when the store is opened again.
import type { Statement } from 'better-sqlite3';
import type { Db } from './store';

/** Queue priorities: lower runs first. */
export const PRIORITY = {
  /** Files dropped on the window: the person is waiting for them. */
  dropped: 0,
  folderScan: 1,
  /** Re-tagging with a new model. */
  retag: 2,
} as const;

/** A claimed job: the track and the files it can be read from. */
export interface ClaimedJob {
  readonly trackId: number;
  readonly paths: readonly string[];
  /** PRIORITY.dropped for files a person just dropped on the window. */
  readonly priority: number;
}

/** Reads and writes the jobs table; every method runs inside or as one transaction. */
export class JobStore {
  private nextSeq: number;
  private readonly insert: Statement<[number, number, number]>;
  private readonly markQueued: Statement<[number]>;
  private readonly next: Statement<[], { track_id: number; priority: number }>;
  private readonly pathsOf: Statement<[number], { path: string }>;

  constructor(private readonly db: Db) {
    this.nextSeq = ((db.prepare('SELECT max(seq) FROM jobs').pluck().get() as number | null) ?? 0) + 1;
    this.insert = db.prepare(
      `INSERT INTO jobs (track_id, priority, seq, state) VALUES (?, ?, ?, 'queued')
       ON CONFLICT (track_id) DO UPDATE SET priority = min(priority, excluded.priority)`,
    );
    this.markQueued = db.prepare("UPDATE tracks SET status = 'queued', error = NULL WHERE id = ? AND status <> 'tagging'");
    this.next = db.prepare("SELECT track_id, priority FROM jobs WHERE state = 'queued' ORDER BY priority, seq LIMIT 1");
    this.pathsOf = db.prepare('SELECT path FROM files WHERE track_id = ? ORDER BY id');
  }

  /** Jobs left running by a crash or a quit go back to the queue. */
  recover(): void {
    this.db.transaction(() => {
      this.db.prepare("UPDATE jobs SET state = 'queued' WHERE state = 'running'").run();
      this.db.prepare("UPDATE tracks SET status = 'queued' WHERE status = 'tagging'").run();
      // A track marked queued without a job (should not happen) would wait forever; show it as untagged.
      this.db
        .prepare("UPDATE tracks SET status = 'untagged' WHERE status = 'queued' AND id NOT IN (SELECT track_id FROM jobs)")
        .run();
    }).immediate();
  }

  /** Queues tracks (or raises the priority of queued ones). Call inside a transaction. */
  enqueue(trackIds: Iterable<number>, priority: number): number {
    let n = 0;
    for (const id of trackIds) {
      this.insert.run(id, priority, this.nextSeq++);
      this.markQueued.run(id);
      n++;
    }
    return n;
  }

  /** Takes the next job: lowest priority, then oldest. */
  claimNext(): ClaimedJob | null {
    return this.db.transaction((): ClaimedJob | null => {
      const row = this.next.get();
      if (!row) return null;
      this.db.prepare("UPDATE jobs SET state = 'running' WHERE track_id = ?").run(row.track_id);
      this.db.prepare("UPDATE tracks SET status = 'tagging' WHERE id = ?").run(row.track_id);
      return { trackId: row.track_id, paths: this.pathsOf.all(row.track_id).map((r) => r.path), priority: row.priority };
    }).immediate();
  }

  /** Puts running jobs back in the queue, keeping their place. */
  requeue(trackIds: readonly number[]): void {
    this.db.transaction(() => {
      for (const id of trackIds) {
        this.db.prepare("UPDATE jobs SET state = 'queued' WHERE track_id = ?").run(id);
        this.db.prepare("UPDATE tracks SET status = 'queued' WHERE id = ? AND status = 'tagging'").run(id);
      }
    }).immediate();
  }

  /** Removes a job; call in the transaction that writes its result. */
  finish(trackId: number): void {
    this.db.prepare('DELETE FROM jobs WHERE track_id = ?').run(trackId);
  }

  /** Jobs not finished (queued or running). */
  remaining(): number {
    return this.db.prepare('SELECT count(*) FROM jobs').pluck().get() as number;
  }

  /** Drops every job; their tracks show as tagged if they have any prediction, else untagged. */
  clear(): number[] {
    return this.db.transaction(() => {
      const ids = this.db.prepare('SELECT track_id FROM jobs').pluck().all() as number[];
      this.db
        .prepare(
          `UPDATE tracks SET status = CASE WHEN EXISTS (SELECT 1 FROM predictions p WHERE p.track_id = tracks.id)
             THEN 'tagged' ELSE 'untagged' END
           WHERE id IN (SELECT track_id FROM jobs) AND status IN ('queued', 'tagging')`,
        )
        .run();
      this.db.prepare('DELETE FROM jobs').run();
      return ids;
    }).immediate();
  }
}
