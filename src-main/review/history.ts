// Undo history as data: a step is a list of changes, each holding the value before and after, so
// undo applies the befores and redo the afters. Steps cover many tracks at once (multi-select).
import type { HistoryState, LabelState } from '../../src-preload/contract';
import type { LabelAction } from './label-action';

/** A label as stored: the state and the prediction it corrected; null means no label. */
export type LabelValue = {
  readonly state: LabelState;
  readonly modelKey: string | null;
  readonly predictedScore: number | null;
  /** The learned tag's score for the track when the person judged it (absent in older history). */
  readonly learnedScore?: number | null;
} | null;

/** One track's change in a step: a label on one tag, or its review mark. */
export type Change =
  | {
      readonly kind: 'label';
      readonly trackId: number;
      readonly tag: string;
      readonly before: LabelValue;
      readonly after: LabelValue;
    }
  | {
      readonly kind: 'reviewed';
      readonly trackId: number;
      readonly before: ReviewMark;
      readonly after: ReviewMark;
    };

/** A track's review state: when a person last reviewed it, and whether a new model asks for another look. */
export interface ReviewMark {
  readonly reviewedAt: string | null;
  readonly needsReview: boolean;
}

/** A step's changes turned around: applying them undoes the step. */
export function invertChanges(changes: readonly Change[]): Change[] {
  return changes
    .slice()
    .reverse()
    .map((c) => (c.kind === 'label' ? { ...c, before: c.after, after: c.before } : { ...c, before: c.after, after: c.before }));
}

/** The ids of the tracks a step touches, once each. */
export function touchedTracks(changes: readonly Change[]): number[] {
  return [...new Set(changes.map((c) => c.trackId))];
}

const count = (n: number): string => (n === 1 ? '1 track' : `${n} tracks`);

const VERBS: Readonly<Record<LabelAction, string>> = {
  accept: 'Accept',
  reject: 'Reject',
  add: 'Add',
  clear: 'Clear',
};

/** What the undo menu calls a label step, e.g. `Reject "jazz" on 3 tracks`. */
export function describeLabelStep(action: LabelAction, tag: string, tracks: number): string {
  return `${VERBS[action]} "${tag}" on ${count(tracks)}`;
}

/** What the undo menu calls renaming a tag (or merging it into one that exists). */
export function describeRenameStep(from: string, to: string, merge: boolean, tracks: number): string {
  return merge ? `Merge "${from}" into "${to}" on ${count(tracks)}` : `Rename "${from}" to "${to}" on ${count(tracks)}`;
}

/** What the undo menu calls a review-mark step. */
export function describeReviewedStep(reviewed: boolean, tracks: number): string {
  return `Mark ${count(tracks)} ${reviewed ? 'reviewed' : 'not reviewed'}`;
}

/** The UI's view of the history from the descriptions of the next undo and redo steps. */
export function historyState(undoLabel: string | null, redoLabel: string | null): HistoryState {
  return { canUndo: undoLabel !== null, canRedo: redoLabel !== null, undoLabel, redoLabel };
}
