// The library table's columns: which exist, which are shown in which order and how wide, as a
// person chose them (kept in the window's preferences). Pure, so the rules are tested directly.
import type { SortKey } from '../../../../src-preload/contract';

export const COLUMN_IDS = ['art', 'title', 'artist', 'album', 'length', 'tags', 'genres', 'descriptors', 'status', 'path'] as const;
export type ColumnId = (typeof COLUMN_IDS)[number];

export interface ColumnDef {
  readonly id: ColumnId;
  readonly label: string;
  readonly sort: SortKey | null;
  /** Narrowest it may be made, in pixels. */
  readonly minPx: number;
  /** Share of the spare width while nobody sized it (0: fixed at minPx). */
  readonly grow: number;
}

export const COLUMNS: Readonly<Record<ColumnId, ColumnDef>> = {
  art: { id: 'art', label: 'Art', sort: null, minPx: 32, grow: 0 },
  title: { id: 'title', label: 'Title', sort: 'title', minPx: 140, grow: 2 },
  artist: { id: 'artist', label: 'Artist', sort: 'artist', minPx: 60, grow: 1 },
  album: { id: 'album', label: 'Album', sort: 'album', minPx: 60, grow: 1 },
  length: { id: 'length', label: 'Length', sort: 'duration', minPx: 52, grow: 0 },
  tags: { id: 'tags', label: 'Tags', sort: null, minPx: 80, grow: 1.4 },
  genres: { id: 'genres', label: 'Genres', sort: null, minPx: 70, grow: 1 },
  descriptors: { id: 'descriptors', label: 'Descriptors', sort: null, minPx: 70, grow: 1 },
  status: { id: 'status', label: 'Status', sort: 'status', minPx: 96, grow: 0 },
  path: { id: 'path', label: 'File', sort: null, minPx: 100, grow: 1.5 },
};

/** What a person chose: the order of every column, the hidden ones, and widths they dragged. */
export interface ColumnPrefs {
  readonly order: readonly ColumnId[];
  readonly hidden: readonly ColumnId[];
  readonly widths: Readonly<Partial<Record<ColumnId, number>>>;
}

export const DEFAULT_COLUMN_PREFS: ColumnPrefs = {
  order: ['art', 'title', 'artist', 'album', 'length', 'tags', 'genres', 'descriptors', 'status', 'path'],
  hidden: ['art', 'genres', 'descriptors', 'path'],
  widths: {},
};

const MAX_WIDTH_PX = 1200;

/** The shown columns, in order. */
export function visibleColumns(prefs: ColumnPrefs): ColumnDef[] {
  return prefs.order.filter((id) => !prefs.hidden.includes(id)).map((id) => COLUMNS[id]);
}

/** The CSS grid-template-columns of the shown columns. The title always takes what is left over. */
export function gridTemplate(prefs: ColumnPrefs): string {
  return visibleColumns(prefs)
    .map((c) => {
      const width = prefs.widths[c.id];
      if (c.id === 'title') return `minmax(${width ?? c.minPx}px, ${c.grow}fr)`;
      if (width !== undefined) return `${width}px`;
      return c.grow > 0 ? `minmax(${c.minPx}px, ${c.grow}fr)` : `${c.minPx}px`;
    })
    .join(' ');
}

/** Shows or hides a column (the title stays). */
export function toggleColumn(prefs: ColumnPrefs, id: ColumnId): ColumnPrefs {
  if (id === 'title') return prefs;
  const hidden = prefs.hidden.includes(id) ? prefs.hidden.filter((h) => h !== id) : [...prefs.hidden, id];
  return { ...prefs, hidden };
}

/** Moves a column one place earlier (-1) or later (+1) among the shown ones. */
export function moveColumn(prefs: ColumnPrefs, id: ColumnId, delta: -1 | 1): ColumnPrefs {
  const shown = visibleColumns(prefs).map((c) => c.id);
  const at = shown.indexOf(id);
  const other = shown[at + delta];
  if (at < 0 || other === undefined) return prefs;
  const order = [...prefs.order];
  const i = order.indexOf(id);
  const j = order.indexOf(other);
  [order[i], order[j]] = [order[j]!, order[i]!];
  return { ...prefs, order };
}

/** Sets a column's width (clamped to its minimum); null gives it back its default. */
export function resizeColumn(prefs: ColumnPrefs, id: ColumnId, widthPx: number | null): ColumnPrefs {
  const widths = { ...prefs.widths };
  if (widthPx === null) delete widths[id];
  else widths[id] = Math.round(Math.min(MAX_WIDTH_PX, Math.max(COLUMNS[id].minPx, widthPx)));
  return { ...prefs, widths };
}

/** Column preferences read back from storage: anything unknown or damaged falls back to the defaults. */
export function sanitizeColumnPrefs(raw: unknown): ColumnPrefs {
  if (!raw || typeof raw !== 'object') return DEFAULT_COLUMN_PREFS;
  const r = raw as Record<string, unknown>;
  const isId = (x: unknown): x is ColumnId => typeof x === 'string' && (COLUMN_IDS as readonly string[]).includes(x);
  const order = Array.isArray(r.order) ? [...new Set(r.order.filter(isId))] : [];
  // Columns added in a later version go where the defaults have them.
  for (const id of DEFAULT_COLUMN_PREFS.order) if (!order.includes(id)) order.push(id);
  const hidden = Array.isArray(r.hidden) ? r.hidden.filter(isId).filter((id) => id !== 'title') : DEFAULT_COLUMN_PREFS.hidden;
  const widths: Partial<Record<ColumnId, number>> = {};
  if (r.widths && typeof r.widths === 'object') {
    for (const [id, w] of Object.entries(r.widths as Record<string, unknown>)) {
      if (isId(id) && typeof w === 'number' && Number.isFinite(w)) widths[id] = Math.min(MAX_WIDTH_PX, Math.max(COLUMNS[id].minPx, w));
    }
  }
  return { order, hidden, widths };
}
