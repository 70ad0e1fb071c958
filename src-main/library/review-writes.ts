// Corrections, review marks, undo and redo as store writes. Each call is ONE transaction that also
// records (or moves along) its history step and bumps the tracks' label_rev; with synchronous=FULL
// the change is on disk when the call returns, which is when the UI may say "done".
import type { Statement } from 'better-sqlite3';
import type { HistoryState } from '../../src-preload/contract';
import {
  describeLabelStep,
  describeRenameStep,
  describeReviewedStep,
  historyState,
  invertChanges,
  touchedTracks,
  type Change,
  type LabelValue,
  type ReviewMark,
} from '../review/history';
import { planLabelChanges, planReviewedChanges, type LabelAction, type LabelTarget, type PredictionOfTag } from '../review/label-action';
import { canonicalTag } from '../review/tag-names';
import { nowIso, type Db, type ModelRegistry } from './store';
import type { TrackSummaries } from './summary';

/** A rename the library refuses; the message says why. */
export class RenameError extends Error {
  override name = 'RenameError';
  readonly code = 'invalid-argument';
}

interface ChangeRow {
  track_id: number;
  tag: string | null;
  before: string | null;
  after: string | null;
}

/** Applies and records review actions. */
export class ReviewWriter {
  private readonly labelOf: Statement<
    [number, string],
    { state: 'accepted' | 'rejected' | 'added'; model_key: string | null; predicted_score: number | null; learned_score: number | null }
  >;
  private readonly upsertLabel: Statement<[number, string, string, string, string | null, number | null, number | null]>;
  private readonly learnedScoreOf: Statement<[string, number], number>;
  private readonly deleteLabel: Statement<[number, string]>;
  private readonly setMark: Statement<[string | null, number, number]>;
  private readonly bumpRev: Statement<[number]>;
  private readonly insertChange: Statement<[number | bigint, number, number, string | null, string | null, string | null]>;
  private readonly exists: Statement<[number], { reviewed_at: string | null; needs_review: number }>;

  constructor(
    private readonly db: Db,
    private readonly summaries: TrackSummaries,
    private readonly models: ModelRegistry,
  ) {
    this.labelOf = db.prepare('SELECT state, model_key, predicted_score, learned_score FROM labels WHERE track_id = ? AND tag = ?');
    this.upsertLabel = db.prepare(
      `INSERT INTO labels (track_id, tag, state, updated_at, model_key, predicted_score, learned_score) VALUES (?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (track_id, tag) DO UPDATE SET state = excluded.state, updated_at = excluded.updated_at,
         model_key = excluded.model_key, predicted_score = excluded.predicted_score, learned_score = excluded.learned_score`,
    );
    this.learnedScoreOf = db.prepare('SELECT score FROM learned_scores WHERE tag = ? AND track_id = ?').pluck() as Statement<[string, number], number>;
    this.deleteLabel = db.prepare('DELETE FROM labels WHERE track_id = ? AND tag = ?');
    this.setMark = db.prepare('UPDATE tracks SET reviewed_at = ?, needs_review = ? WHERE id = ?');
    this.bumpRev = db.prepare('UPDATE tracks SET label_rev = label_rev + 1 WHERE id = ?');
    this.insertChange = db.prepare(
      'INSERT INTO history_changes (step_id, seq, track_id, tag, before, after) VALUES (?, ?, ?, ?, ?, ?)',
    );
    this.exists = db.prepare('SELECT reviewed_at, needs_review FROM tracks WHERE id = ?');
  }

  /** The spelling a typed tag is stored under (a known model or user tag, whatever the case). */
  canonical(tag: string): string {
    const user = this.db.prepare('SELECT tag FROM user_tags').pluck().all() as string[];
    return canonicalTag(tag, [...this.models.allTagNames(), ...user]);
  }

  /** Accept, reject, add or clear a tag on tracks; returns the tracks changed. Unknown ids are skipped. */
  label(trackIds: readonly number[], action: LabelAction, typedTag: string): number[] {
    const tag = this.canonical(typedTag);
    return this.db.transaction(() => {
      const targets: LabelTarget[] = [];
      for (const trackId of new Set(trackIds)) {
        if (!this.exists.get(trackId)) continue;
        targets.push({
          trackId,
          current: this.currentLabel(trackId, tag),
          prediction: this.predictionOf(trackId, tag),
          learnedScore: this.learnedScoreOf.get(tag, trackId) ?? null,
        });
      }
      const changes = planLabelChanges(targets, action, tag);
      if ((action === 'add' || action === 'accept') && changes.length && !this.models.allTagNames().has(tag)) {
        this.db.prepare('INSERT OR IGNORE INTO user_tags (tag, added_at) VALUES (?, ?)').run(tag, nowIso());
      }
      return this.record(changes, describeLabelStep(action, tag, changes.length));
    }).immediate();
  }

  /**
   * Renames a tag people added (every label moves to the new name), or merges it into a tag that
   * exists, in one undoable step. Where a track has labels under both names, the one under the
   * new name stays. Model tags keep their name: the model still predicts it.
   */
  rename(typedFrom: string, typedTo: string): number[] {
    const from = this.canonical(typedFrom);
    const to = this.canonical(typedTo);
    if (from === to) throw new RenameError(`"${from}" is already called that`);
    if (this.models.allTagNames().has(from)) throw new RenameError(`"${from}" is a tag of the model: it can be merged into, not renamed`);
    return this.db.transaction(() => {
      const merge = this.models.allTagNames().has(to) || this.db.prepare('SELECT 1 FROM user_tags WHERE tag = ?').get(to) !== undefined;
      const tracks = this.db.prepare('SELECT track_id FROM labels WHERE tag = ? ORDER BY track_id').pluck().all(from) as number[];
      if (tracks.length === 0 && this.db.prepare('SELECT 1 FROM user_tags WHERE tag = ?').get(from) === undefined) {
        throw new RenameError(`no track has the tag "${from}"`);
      }
      const changes: Change[] = [];
      for (const trackId of tracks) {
        const moving = this.currentLabel(trackId, from);
        changes.push({ kind: 'label', trackId, tag: from, before: moving, after: null });
        const existing = this.currentLabel(trackId, to);
        if (existing === null) changes.push({ kind: 'label', trackId, tag: to, before: null, after: moving });
      }
      if (!this.models.allTagNames().has(to)) this.db.prepare('INSERT OR IGNORE INTO user_tags (tag, added_at) VALUES (?, ?)').run(to, nowIso());
      // The old name's learned tag goes; the new name's is fitted on the moved examples.
      this.db.prepare('DELETE FROM learned_tags WHERE tag = ?').run(from);
      return this.record(changes, describeRenameStep(from, to, merge, tracks.length));
    }).immediate();
  }

  /** Marks tracks reviewed or not; returns the tracks changed. */
  setReviewed(trackIds: readonly number[], reviewed: boolean): number[] {
    return this.db.transaction(() => {
      const targets = [...new Set(trackIds)].flatMap((trackId) => {
        const row = this.exists.get(trackId);
        return row ? [{ trackId, mark: { reviewedAt: row.reviewed_at, needsReview: row.needs_review === 1 } }] : [];
      });
      const changes = planReviewedChanges(targets, reviewed, nowIso());
      return this.record(changes, describeReviewedStep(reviewed, changes.length));
    }).immediate();
  }

  /** Undoes the latest step still done; returns the tracks changed (empty when there is none). */
  undo(): number[] {
    return this.db.transaction(() => {
      const step = this.db.prepare("SELECT id FROM history_steps WHERE state = 'done' ORDER BY id DESC LIMIT 1").get() as
        | { id: number }
        | undefined;
      if (!step) return [];
      const changes = invertChanges(this.changesOf(step.id));
      this.apply(changes);
      this.db.prepare("UPDATE history_steps SET state = 'undone' WHERE id = ?").run(step.id);
      return touchedTracks(changes);
    }).immediate();
  }

  /** Redoes the step undone last; returns the tracks changed (empty when there is none). */
  redo(): number[] {
    return this.db.transaction(() => {
      const step = this.db.prepare("SELECT id FROM history_steps WHERE state = 'undone' ORDER BY id ASC LIMIT 1").get() as
        | { id: number }
        | undefined;
      if (!step) return [];
      const changes = this.changesOf(step.id);
      this.apply(changes);
      this.db.prepare("UPDATE history_steps SET state = 'done' WHERE id = ?").run(step.id);
      return touchedTracks(changes);
    }).immediate();
  }

  /** What undo and redo would do now. */
  history(): HistoryState {
    const undo = this.db
      .prepare("SELECT description FROM history_steps WHERE state = 'done' ORDER BY id DESC LIMIT 1")
      .pluck()
      .get() as string | undefined;
    const redo = this.db
      .prepare("SELECT description FROM history_steps WHERE state = 'undone' ORDER BY id ASC LIMIT 1")
      .pluck()
      .get() as string | undefined;
    return historyState(undo ?? null, redo ?? null);
  }

  private currentLabel(trackId: number, tag: string): LabelValue {
    const row = this.labelOf.get(trackId, tag);
    return row ? { state: row.state, modelKey: row.model_key, predictedScore: row.predicted_score, learnedScore: row.learned_score } : null;
  }

  /** The score and threshold of a tag on a track, and the model of the set that gave it. */
  private predictionOf(trackId: number, tag: string): PredictionOfTag | null {
    const p = this.summaries.predictedOfSet(trackId).find((x) => x.tag === tag);
    return p?.model ? { modelKey: p.model, score: p.score, threshold: p.threshold } : null;
  }

  /** Applies new changes and records them as a step; a new step drops the redo tail. */
  private record(changes: readonly Change[], description: string): number[] {
    if (changes.length === 0) return [];
    this.apply(changes);
    this.db.prepare("UPDATE history_steps SET state = 'dropped' WHERE state = 'undone'").run();
    const stepId = this.db
      .prepare("INSERT INTO history_steps (description, created_at, state) VALUES (?, ?, 'done')")
      .run(description, nowIso()).lastInsertRowid;
    changes.forEach((c, seq) =>
      this.insertChange.run(stepId, seq, c.trackId, c.kind === 'label' ? c.tag : null, JSON.stringify(c.before), JSON.stringify(c.after)),
    );
    return touchedTracks(changes);
  }

  private apply(changes: readonly Change[]): void {
    const now = nowIso();
    const relabelled = new Set<number>();
    for (const c of changes) {
      if (c.kind === 'label') {
        if (c.after === null) this.deleteLabel.run(c.trackId, c.tag);
        else this.upsertLabel.run(c.trackId, c.tag, c.after.state, now, c.after.modelKey, c.after.predictedScore, c.after.learnedScore ?? null);
        relabelled.add(c.trackId);
      } else {
        this.setMark.run(c.after.reviewedAt, c.after.needsReview ? 1 : 0, c.trackId);
      }
    }
    for (const id of touchedTracks(changes)) this.bumpRev.run(id);
    for (const id of relabelled) this.summaries.refresh(id);
  }

  private changesOf(stepId: number): Change[] {
    const rows = this.db
      .prepare('SELECT track_id, tag, before, after FROM history_changes WHERE step_id = ? ORDER BY seq')
      .all(stepId) as ChangeRow[];
    return rows.map((r): Change => {
      const before = JSON.parse(r.before ?? 'null') as unknown;
      const after = JSON.parse(r.after ?? 'null') as unknown;
      return r.tag === null
        ? { kind: 'reviewed', trackId: r.track_id, before: before as ReviewMark, after: after as ReviewMark }
        : { kind: 'label', trackId: r.track_id, tag: r.tag, before: before as LabelValue, after: after as LabelValue };
    });
  }
}
