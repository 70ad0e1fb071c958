// The focused track's detail and the review actions on it (or on the selection): every change is
// confirmed by the core (durable) before the UI shows it as done; undo and redo go through the core.
import { create } from 'zustand';
import type { HistoryState, ReviewOutcome, TrackDetail, Vocabulary } from '../../../src-preload/contract';
import { call } from '../api/api';
import { patchRows } from './library-store';
import { notify } from './notice-store';

interface ReviewState {
  readonly detail: TrackDetail | null;
  readonly detailLoading: boolean;
  readonly history: HistoryState;
  readonly vocabulary: Vocabulary;
  /** A change is being written; the UI shows it as pending until the core confirms. */
  readonly saving: boolean;
}

const EMPTY_HISTORY: HistoryState = { canUndo: false, canRedo: false, undoLabel: null, redoLabel: null };

export const useReview = create<ReviewState>(() => ({
  detail: null,
  detailLoading: false,
  history: EMPTY_HISTORY,
  vocabulary: { model: [], user: [] },
  saving: false,
}));

let detailRequest = 0;
/** The track the view asked for last; its detail may still be on its way. */
let wantedId: number | null = null;

/** Loads the detail of a track (or clears it). */
export async function loadDetail(id: number | null): Promise<void> {
  const request = ++detailRequest;
  wantedId = id;
  if (id === null) {
    useReview.setState({ detail: null, detailLoading: false });
    return;
  }
  useReview.setState({ detailLoading: true });
  try {
    const detail = await call('getTrack', { id });
    if (request === detailRequest) useReview.setState({ detail, detailLoading: false });
  } catch (error) {
    if (request === detailRequest) {
      useReview.setState({ detail: null, detailLoading: false });
      notify('error', (error as Error).message);
    }
  }
}

/**
 * Reloads the detail if one of these tracks is the one wanted. Not the one shown: while the focus
 * moves on, the old track is still shown, and reloading it would replace the new one.
 */
export function refreshDetailIfShown(ids: readonly number[]): void {
  if (wantedId !== null && ids.includes(wantedId)) void loadDetail(wantedId);
}

async function apply(run: () => Promise<ReviewOutcome>): Promise<boolean> {
  useReview.setState({ saving: true });
  try {
    const outcome = await run();
    patchRows(outcome.tracks);
    useReview.setState({ history: outcome.history, saving: false });
    refreshDetailIfShown(outcome.tracks.map((t) => t.id));
    return true;
  } catch (error) {
    useReview.setState({ saving: false });
    notify('error', `Not saved: ${(error as Error).message}`);
    return false;
  }
}

/** Accepts, rejects, adds or clears a tag on tracks. */
export function labelTracks(trackIds: number[], action: 'accept' | 'reject' | 'add' | 'clear', tag: string): Promise<boolean> {
  if (trackIds.length === 0) return Promise.resolve(false);
  return apply(() => call('label', { trackIds, action, tag }));
}

/** Marks tracks reviewed or not. */
export function markReviewed(trackIds: number[], reviewed: boolean): Promise<boolean> {
  if (trackIds.length === 0) return Promise.resolve(false);
  return apply(() => call('setReviewed', { trackIds, reviewed }));
}

/** Undoes the last change. */
export function undo(): Promise<boolean> {
  return apply(() => call('undo', undefined));
}

/** Redoes the last undone change. */
export function redo(): Promise<boolean> {
  return apply(() => call('redo', undefined));
}

/** Loads the undo state and the tag vocabulary. */
export async function loadReviewBasics(): Promise<void> {
  const [history, vocabulary] = await Promise.all([call('history', undefined), call('vocabulary', undefined)]);
  useReview.setState({ history, vocabulary });
}

/** Reloads the vocabulary (after a free-form tag was added). */
export async function reloadVocabulary(): Promise<void> {
  useReview.setState({ vocabulary: await call('vocabulary', undefined) });
}
