// Library table state: the query, the total and the rows fetched so far (by page), and the
// folders. Rows come from the core; this store only caches pages of them.
import { create } from 'zustand';
import type { FolderRow, SortKey, TrackQuery, TrackRow, TrackStatus } from '../../../src-preload/contract';
import { call } from '../api/api';

export const PAGE_SIZE = 100;

export type LibraryMode = 'library' | 'review';

export interface QueryState {
  readonly search: string;
  readonly statuses: readonly TrackStatus[];
  readonly tag: string | null;
  /** Only tracks this learned tag suggests (instead of a model or added tag). */
  readonly learnedTag: string | null;
  readonly minConfidence: number;
  readonly sort: SortKey;
  readonly descending: boolean;
}

interface LibraryState {
  readonly mode: LibraryMode;
  readonly query: QueryState;
  readonly total: number;
  readonly pages: ReadonlyMap<number, readonly TrackRow[]>;
  /** Bumped on every query change so late answers to an old query are dropped. */
  readonly generation: number;
  readonly folders: readonly FolderRow[];
  readonly loading: boolean;
  readonly error: string | null;
}

export const DEFAULT_QUERY: QueryState = { search: '', statuses: [], tag: null, learnedTag: null, minConfidence: 0, sort: 'added', descending: false };

/** The review queue, most uncertain first (the core knows which tracks are waiting for review). */
const REVIEW_QUERY: QueryState = { ...DEFAULT_QUERY, sort: 'uncertainty' };

export const useLibrary = create<LibraryState>(() => ({
  mode: 'library',
  query: DEFAULT_QUERY,
  total: 0,
  pages: new Map(),
  generation: 0,
  folders: [],
  // Until the first page answers: the table shows no "empty library" screen meanwhile.
  loading: true,
  error: null,
}));

/** The request out for each page (key: generation and page), at most one per page. */
const inflight = new Map<string, Promise<void>>();
/** Pages that changed while their request was in flight: asked again when it answers. */
const dirty = new Set<string>();

/** Pages kept around the visible rows; others are dropped so the cache stays small at any scale. */
const KEEP_PAGES = 6;
/** How long a page that failed to load waits before it is asked for again. */
const RETRY_MS = 1000;
let visiblePages = { first: 0, last: 0 };

/** The query to send, including the mode's preset. */
export function effectiveQuery(): TrackQuery {
  const { mode, query } = useLibrary.getState();
  const q = mode === 'review' ? { ...REVIEW_QUERY, search: query.search, tag: query.tag, learnedTag: query.learnedTag, minConfidence: query.minConfidence } : query;
  return { ...q, statuses: [...q.statuses], toReview: mode === 'review' };
}

/**
 * Fetches one page of rows, at most one request per page at a time: a page that changes while its
 * request is out is asked again when the answer comes, so refreshes never pile up behind a slow
 * answer. Answers to an older query are dropped. Resolves once the rows asked for are in the store
 * (for a refresh, the rows of the request that follows the one already out).
 */
export function loadPage(page: number, refresh = false): Promise<void> {
  const { generation } = useLibrary.getState();
  const key = `${generation}:${page}`;
  const running = inflight.get(key);
  if (running) {
    if (!refresh) return running;
    dirty.add(key);
    // The running request's clean-up starts the follow-up request before this runs.
    return running.then(() => inflight.get(key));
  }
  const request = fetchPage(page, generation, key);
  inflight.set(key, request);
  return request;
}

async function fetchPage(page: number, generation: number, key: string): Promise<void> {
  try {
    const result = await call('queryTracks', { ...effectiveQuery(), offset: page * PAGE_SIZE, limit: PAGE_SIZE });
    if (useLibrary.getState().generation !== generation) return;
    useLibrary.setState((s) => {
      const pages = new Map(s.pages);
      pages.set(page, result.rows);
      return { pages, total: result.total, loading: false, error: null };
    });
  } catch (error) {
    useLibrary.setState({ loading: false, error: (error as Error).message });
    // A page that failed would stay a column of placeholders: ask again while it is still wanted.
    setTimeout(() => {
      const wanted = page >= visiblePages.first && page <= visiblePages.last;
      if (wanted && useLibrary.getState().generation === generation && !useLibrary.getState().pages.has(page)) void loadPage(page);
    }, RETRY_MS);
  } finally {
    inflight.delete(key);
    if (dirty.delete(key) && useLibrary.getState().generation === generation) void loadPage(page, true);
  }
}

/** Makes sure rows start..end (inclusive), the visible ones, are loaded; forgets pages far away. */
export function ensureRows(start: number, end: number): void {
  visiblePages = { first: Math.floor(start / PAGE_SIZE), last: Math.floor(end / PAGE_SIZE) };
  const { pages } = useLibrary.getState();
  for (let page = visiblePages.first; page <= visiblePages.last; page++) {
    if (!pages.has(page)) void loadPage(page);
  }
  const far = [...pages.keys()].filter((p) => p < visiblePages.first - KEEP_PAGES || p > visiblePages.last + KEEP_PAGES);
  if (far.length > 0) {
    useLibrary.setState((s) => {
      const kept = new Map(s.pages);
      for (const p of far) kept.delete(p);
      return { pages: kept };
    });
  }
}

/** The row at a table index, if loaded. */
export function rowAt(index: number): TrackRow | undefined {
  return useLibrary.getState().pages.get(Math.floor(index / PAGE_SIZE))?.[index % PAGE_SIZE];
}

/** Where a track is in the table, if its page is loaded. */
export function indexOfTrack(id: number): number | null {
  for (const [page, rows] of useLibrary.getState().pages) {
    const at = rows.findIndex((r) => r.id === id);
    if (at >= 0) return page * PAGE_SIZE + at;
  }
  return null;
}

/** Starts over with a changed query (search, filters, sort). */
export function setQuery(patch: Partial<QueryState>): void {
  visiblePages = { first: 0, last: 0 };
  useLibrary.setState((s) => ({ query: { ...s.query, ...patch }, pages: new Map(), generation: s.generation + 1, loading: true }));
  void loadPage(0);
}

/** Switches between library order and the review queue. */
export function setMode(mode: LibraryMode): void {
  visiblePages = { first: 0, last: 0 };
  useLibrary.setState((s) => ({ mode, pages: new Map(), generation: s.generation + 1, loading: true }));
  void loadPage(0);
}

/**
 * Refetches the visible pages (after tags arrive or counts change), keeping what is shown meanwhile;
 * other cached pages are dropped and load again when scrolled to.
 */
export async function refreshLoaded(): Promise<void> {
  const { first, last } = visiblePages;
  useLibrary.setState((s) => ({ pages: new Map([...s.pages].filter(([p]) => p >= first && p <= last)) }));
  const requests: Array<Promise<void>> = [];
  for (let page = first; page <= last; page++) requests.push(loadPage(page, true));
  await Promise.all(requests);
}

/** Replaces rows the core sent back after a change, wherever they are loaded. */
export function patchRows(rows: readonly TrackRow[]): void {
  const byId = new Map(rows.map((r) => [r.id, r]));
  useLibrary.setState((s) => {
    const pages = new Map<number, readonly TrackRow[]>();
    for (const [page, list] of s.pages) pages.set(page, list.map((r) => byId.get(r.id) ?? r));
    return { pages };
  });
}

/** Reloads the folder list. */
export async function loadFolders(): Promise<void> {
  const folders = await call('listFolders', undefined);
  useLibrary.setState({ folders });
}

/** Back to the initial state; for tests. */
export function resetLibrary(): void {
  useLibrary.setState({ mode: 'library', query: DEFAULT_QUERY, total: 0, pages: new Map(), generation: 0, folders: [], loading: false, error: null });
}
