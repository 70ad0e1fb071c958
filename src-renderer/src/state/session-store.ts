// What the person was looking at, kept across a reload of the window: the table's mode and query,
// the selection and focus, and how far the table was scrolled.
import { create } from 'zustand';
import { SORT_KEYS, TRACK_STATUSES, type SortKey, type TrackStatus } from '../../../src-preload/contract-data';
import { DEFAULT_QUERY, useLibrary, type LibraryMode, type QueryState } from './library-store';
import { indexOfTrack } from './library-store';
import { restoreSelection, useSelection } from './selection-store';

const KEY = 'eno.session';
/** Selections larger than this are not kept (select-all of a big library). */
const MAX_KEPT = 5000;

export interface SavedSession {
  readonly mode: LibraryMode;
  readonly query: QueryState;
  readonly focusedId: number | null;
  readonly selected: readonly number[];
  readonly scrollTop: number;
}

function storage(): Storage | null {
  try {
    return typeof sessionStorage === 'undefined' ? null : sessionStorage;
  } catch {
    return null;
  }
}

const ids = (x: unknown): number[] => (Array.isArray(x) ? x.filter((v): v is number => Number.isInteger(v) && v > 0) : []);

/** A saved session read back; null when there is none or it is damaged. */
export function parseSession(text: string | null, defaults: QueryState): SavedSession | null {
  if (!text) return null;
  try {
    const r = JSON.parse(text) as Record<string, unknown>;
    const q = (r.query ?? {}) as Record<string, unknown>;
    const query: QueryState = {
      search: typeof q.search === 'string' ? q.search.slice(0, 200) : defaults.search,
      statuses: Array.isArray(q.statuses) ? q.statuses.filter((s): s is TrackStatus => (TRACK_STATUSES as readonly unknown[]).includes(s)) : defaults.statuses,
      tag: typeof q.tag === 'string' ? q.tag : null,
      learnedTag: typeof q.learnedTag === 'string' ? q.learnedTag : null,
      minConfidence: typeof q.minConfidence === 'number' && q.minConfidence >= 0 && q.minConfidence <= 1 ? q.minConfidence : 0,
      sort: (SORT_KEYS as readonly unknown[]).includes(q.sort) ? (q.sort as SortKey) : defaults.sort,
      descending: q.descending === true,
    };
    return {
      mode: r.mode === 'review' ? 'review' : 'library',
      query,
      focusedId: Number.isInteger(r.focusedId) ? (r.focusedId as number) : null,
      selected: ids(r.selected).slice(0, MAX_KEPT),
      scrollTop: typeof r.scrollTop === 'number' && r.scrollTop >= 0 ? r.scrollTop : 0,
    };
  } catch {
    return null;
  }
}

/** The session saved by this window before its last reload. */
export function loadSession(defaults: QueryState): SavedSession | null {
  return parseSession(storage()?.getItem(KEY) ?? null, defaults);
}

/** Saves the session (large selections are left out). */
export function saveSession(session: SavedSession): void {
  const kept = session.selected.length > MAX_KEPT ? { ...session, selected: session.focusedId !== null ? [session.focusedId] : [] } : session;
  try {
    storage()?.setItem(KEY, JSON.stringify(kept));
  } catch {
    // Storage refused: a reload starts at the top.
  }
}

/** What is still to be put back after a reload: the selection once rows are there, then the scroll. */
export const useRestore = create<{ readonly pending: SavedSession | null }>(() => ({ pending: null }));

/** Puts the saved mode and query back before the first page loads; the rest follows the rows. */
export function restoreSession(): void {
  const saved = loadSession(DEFAULT_QUERY);
  if (!saved) return;
  useLibrary.setState({ mode: saved.mode, query: saved.query });
  useRestore.setState({ pending: saved });
}

/** Once the first rows are in: the selection and focus as they were. */
export function restorePendingSelection(): void {
  const { pending } = useRestore.getState();
  if (!pending) return;
  const at = pending.focusedId === null ? null : indexOfTrack(pending.focusedId);
  restoreSelection(pending.focusedId, pending.selected, at);
}

/** The saved scroll position, once (null when there is nothing to restore). */
export function takePendingScroll(): number | null {
  const { pending } = useRestore.getState();
  if (!pending) return null;
  useRestore.setState({ pending: null });
  return pending.scrollTop;
}

/** Saves the session whenever it changes (at most every 300 ms) and when the page goes away. */
export function keepSession(scrollTop: () => number): () => void {
  let timer: ReturnType<typeof setTimeout> | null = null;
  const save = (): void => {
    timer = null;
    const { mode, query } = useLibrary.getState();
    const { focusedId, selected } = useSelection.getState();
    saveSession({ mode, query, focusedId, selected: [...selected], scrollTop: scrollTop() });
  };
  const soon = (): void => {
    timer ??= setTimeout(save, 300);
  };
  const unsubscribe = [useLibrary.subscribe(soon), useSelection.subscribe(soon)];
  window.addEventListener('pagehide', save);
  return () => {
    unsubscribe.forEach((u) => u());
    window.removeEventListener('pagehide', save);
    if (timer) clearTimeout(timer);
  };
}
