// The focused track's detail and the review actions on it (or on the selection): every change is
// confirmed by the core (durable) before the UI shows it as done; undo and redo go through the core.
import { create } from 'zustand';
import type { HistoryState, ReviewOutcome, TrackDetail, Vocabulary } from '../../../src-preload/contract';
import { call } from '../api/api';
import { patchRows } from './library-store';
import { notify } from './notice-store';
import { useSelection } from './selection-store';

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
/** The latest detail request, settled or not. */
let detailLoad: Promise<void> = Promise.resolve();

/** Loads the detail of a track (or clears it). */
export function loadDetail(id: number | null): Promise<void> {
  const request = ++detailRequest;
  wantedId = id;
  detailLoad = fetchDetail(id, request);
  return detailLoad;
}

async function fetchDetail(id: number | null, request: number): Promise<void> {
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

// The detail follows the focus as soon as it moves (not a render later), so a key pressed right
// after a move already waits for the right track.
useSelection.subscribe((state, previous) => {
  if (state.focusedId !== previous.focusedId) void loadDetail(state.focusedId);
});

/** The detail of the wanted track once it has arrived; null when it could not be loaded. */
async function settledDetail(): Promise<TrackDetail | null> {
  for (let seen = detailLoad; ; seen = detailLoad) {
    await seen;
    if (seen === detailLoad) break;
  }
  const { detail } = useReview.getState();
  return detail && detail.row.id === wantedId ? detail : null;
}

/**
 * Reloads the detail if one of these tracks is the one wanted (all of them: any track may have
 * changed). Not the one shown: while the focus moves on, the old track is still shown, and
 * reloading it would replace the new one.
 */
export function refreshDetailIfWanted(ids: readonly number[] | 'all'): Promise<void> {
  if (wantedId !== null && (ids === 'all' || ids.includes(wantedId))) return loadDetail(wantedId);
  return Promise.resolve();
}

/** Changes are sent one after another, each once the previous one is confirmed and shown. */
let saves: Promise<unknown> = Promise.resolve();
let pendingSaves = 0;

/**
 * Queues a change: `run` starts when every earlier change is confirmed and the detail shows it, and
 * returns the request to send, or null when there is nothing to do any more. Resolves to the
 * core's answer once it is shown (null when nothing was saved).
 */
function apply(run: () => Promise<ReviewOutcome | null>): Promise<ReviewOutcome | null> {
  pendingSaves++;
  useReview.setState({ saving: true });
  const done = saves.then(async () => {
    try {
      const outcome = await run();
      if (!outcome) return null;
      patchRows(outcome.tracks);
      useReview.setState({ history: outcome.history });
      await refreshDetailIfWanted(outcome.tracks.map((t) => t.id));
      return outcome;
    } catch (error) {
      notify('error', `Not saved: ${(error as Error).message}`);
      return null;
    } finally {
      if (--pendingSaves === 0) useReview.setState({ saving: false });
    }
  });
  saves = done;
  return done;
}

const saved = (outcome: Promise<ReviewOutcome | null>): Promise<boolean> => outcome.then((o) => o !== null);

/** Accepts, rejects, adds or clears a tag on tracks. */
export function labelTracks(trackIds: number[], action: 'accept' | 'reject' | 'add' | 'clear', tag: string): Promise<boolean> {
  if (trackIds.length === 0) return Promise.resolve(false);
  return saved(apply(() => call('label', { trackIds, action, tag })));
}

/**
 * Toggles the tag `pick` chooses from a track's detail, on the given tracks. The choice is made
 * when earlier changes are saved and shown, so pressing a number twice quickly undoes the first
 * press instead of repeating it; nothing happens when the track is no longer the one wanted.
 */
export function toggleTag(
  trackId: number,
  trackIds: number[],
  pick: (detail: TrackDetail) => { readonly action: 'accept' | 'reject' | 'add' | 'clear'; readonly tag: string } | null,
): Promise<boolean> {
  if (trackIds.length === 0) return Promise.resolve(false);
  return saved(
    apply(async () => {
      const detail = await settledDetail();
      const choice = detail && detail.row.id === trackId ? pick(detail) : null;
      return choice ? call('label', { trackIds, action: choice.action, tag: choice.tag }) : null;
    }),
  );
}

/** Marks tracks reviewed or not. */
export function markReviewed(trackIds: number[], reviewed: boolean): Promise<boolean> {
  if (trackIds.length === 0) return Promise.resolve(false);
  return saved(apply(() => call('setReviewed', { trackIds, reviewed })));
}

/** Renames a tag people added, or merges it into another tag, on every track at once (one undo step). */
export async function renameTag(from: string, to: string): Promise<boolean> {
  const done = await saved(apply(() => call('renameTag', { from, to })));
  if (done) await reloadVocabulary();
  return done;
}

/** Accepts a learned tag on every track it suggests with a score of at least `minScore` (one undo step); resolves to how many. */
export async function acceptLearnedAbove(tag: string, minScore: number): Promise<number | null> {
  let count: number | null = null;
  await apply(async () => {
    const result = await call('acceptLearned', { tag, minScore, apply: true });
    count = result.count;
    return result.outcome;
  });
  return count;
}

/** Says tracks judged not music are music after all (or follows the model again). */
export function setMusic(trackIds: number[], music: boolean): Promise<boolean> {
  if (trackIds.length === 0) return Promise.resolve(false);
  return saved(apply(() => call('setMusic', { trackIds, music })));
}

/** An undo or redo as done: what it was called and the rows it changed. */
export interface HistoryMove {
  readonly label: string;
  readonly outcome: ReviewOutcome;
}

/** Undoes (or redoes) the last change; resolves to what it did, or null when there was nothing to do. */
export async function moveInHistory(direction: 'undo' | 'redo'): Promise<HistoryMove | null> {
  let label: string | null = null;
  const outcome = await apply(() => {
    // The step's name as the history stood right before it is taken back or done again.
    const { history } = useReview.getState();
    label = direction === 'undo' ? history.undoLabel : history.redoLabel;
    return call(direction, undefined);
  });
  return outcome && outcome.tracks.length > 0 ? { label: label ?? 'last change', outcome } : null;
}

/** Loads the undo state and the tag vocabulary. */
export async function loadReviewBasics(): Promise<void> {
  const [history, vocabulary] = await Promise.all([call('history', undefined), call('vocabulary', undefined)]);
  useReview.setState({ history, vocabulary });
}

let vocabularyRequest = 0;

/** Reloads the vocabulary (after a free-form tag was added); an older answer never wins. */
export async function reloadVocabulary(): Promise<void> {
  const request = ++vocabularyRequest;
  const vocabulary = await call('vocabulary', undefined);
  if (request === vocabularyRequest) useReview.setState({ vocabulary });
}
