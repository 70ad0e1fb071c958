// How the window is laid out, as the person left it: table columns, the split between table and
// track view, the theme. Kept in the window's local storage, so it survives reloads and restarts.
import { create } from 'zustand';
import { DEFAULT_COLUMN_PREFS, sanitizeColumnPrefs, type ColumnPrefs } from '../features/library/columns';

export type ThemeChoice = 'system' | 'light' | 'dark';

interface Prefs {
  readonly columns: ColumnPrefs;
  /** The table's share of the window's width. */
  readonly splitFraction: number;
  readonly theme: ThemeChoice;
}

const KEY = 'eno.prefs';
export const DEFAULT_SPLIT = 0.56;

function storage(): Storage | null {
  try {
    return typeof localStorage === 'undefined' ? null : localStorage;
  } catch {
    return null; // storage disabled by the browser
  }
}

/** Preferences read back from storage; damaged or missing ones are the defaults. */
export function readPrefs(text: string | null): Prefs {
  let raw: Record<string, unknown> = {};
  try {
    raw = (text ? JSON.parse(text) : {}) as Record<string, unknown>;
  } catch {
    raw = {};
  }
  const split = typeof raw.splitFraction === 'number' && raw.splitFraction >= 0.2 && raw.splitFraction <= 0.8 ? raw.splitFraction : DEFAULT_SPLIT;
  const theme = raw.theme === 'light' || raw.theme === 'dark' ? raw.theme : 'system';
  return { columns: raw.columns ? sanitizeColumnPrefs(raw.columns) : DEFAULT_COLUMN_PREFS, splitFraction: split, theme };
}

export const usePrefs = create<Prefs>(() => readPrefs(storage()?.getItem(KEY) ?? null));

usePrefs.subscribe((prefs) => {
  try {
    storage()?.setItem(KEY, JSON.stringify(prefs));
  } catch {
    // Full or refused storage: the layout simply is not remembered.
  }
});

/** Changes the column preferences. */
export function setColumns(update: (columns: ColumnPrefs) => ColumnPrefs): void {
  usePrefs.setState((s) => ({ columns: update(s.columns) }));
}

/** Sets the table's share of the width. */
export function setSplit(fraction: number): void {
  usePrefs.setState({ splitFraction: Math.min(0.8, Math.max(0.2, fraction)) });
}

/** Chooses the theme. */
export function setTheme(theme: ThemeChoice): void {
  usePrefs.setState({ theme });
}
