// What an accept, reject, add or clear does to a track's label on one tag, and the plan of changes
// for many tracks at once. The state says what the person asserted relative to the model, which is
// what retraining needs: `accepted` confirms a tag the model gave, `added` supplies one it missed,
// `rejected` denies one.
import type { LabelState } from '../../src-preload/contract';
import type { Change, LabelValue, ReviewMark } from './history';

/** What a person can do to a tag (the contract's label actions). */
export const LABEL_ACTIONS = ['accept', 'reject', 'add', 'clear'] as const;
/** One of LABEL_ACTIONS. */
export type LabelAction = (typeof LABEL_ACTIONS)[number];

/** The model's view of the tag on one track when the person acts, if it has one. */
export interface PredictionOfTag {
  readonly modelKey: string;
  readonly score: number;
  readonly threshold: number;
}

/**
 * The label state after an action. Accept and add are the same assertion ("this tag applies"); it
 * is `accepted` when the model already gave the tag and `added` when it did not (below threshold,
 * or a free-form tag). Reject is a denial whatever the model said; clear removes the label.
 */
export function stateAfter(action: LabelAction, prediction: PredictionOfTag | null): LabelState | null {
  switch (action) {
    case 'accept':
    case 'add':
      return prediction && prediction.score >= prediction.threshold ? 'accepted' : 'added';
    case 'reject':
      return 'rejected';
    case 'clear':
      return null;
  }
}

/** One track as a label action finds it. */
export interface LabelTarget {
  readonly trackId: number;
  readonly current: LabelValue;
  readonly prediction: PredictionOfTag | null;
  /** The learned tag's score for the track, when a learned tag of that name scored it. */
  readonly learnedScore?: number | null;
}

/** The label changes an action makes on many tracks; tracks already in the wanted state are left out. */
export function planLabelChanges(targets: readonly LabelTarget[], action: LabelAction, tag: string): Change[] {
  const changes: Change[] = [];
  for (const t of targets) {
    const state = stateAfter(action, t.prediction);
    if ((t.current?.state ?? null) === state) continue;
    const after: LabelValue =
      state === null
        ? null
        : { state, modelKey: t.prediction?.modelKey ?? null, predictedScore: t.prediction?.score ?? null, learnedScore: t.learnedScore ?? null };
    changes.push({ kind: 'label', trackId: t.trackId, tag, before: t.current, after });
  }
  return changes;
}

/**
 * The review-mark changes for many tracks; tracks already in the wanted state are left out. Marking
 * reviewed a track a new model flagged (needsReview) is a change: it is reviewed again, now.
 */
export function planReviewedChanges(
  targets: ReadonlyArray<{ readonly trackId: number; readonly mark: ReviewMark }>,
  reviewed: boolean,
  nowIso: string,
): Change[] {
  const changes: Change[] = [];
  for (const { trackId, mark } of targets) {
    if (reviewed && (mark.reviewedAt === null || mark.needsReview)) {
      changes.push({ kind: 'reviewed', trackId, before: mark, after: { reviewedAt: nowIso, needsReview: false } });
    } else if (!reviewed && mark.reviewedAt !== null) {
      changes.push({ kind: 'reviewed', trackId, before: mark, after: { reviewedAt: null, needsReview: mark.needsReview } });
    }
  }
  return changes;
}
