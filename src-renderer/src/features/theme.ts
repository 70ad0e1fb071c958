// Light and dark: the system's choice unless the person picked one. The resolved theme is set on
// <html data-theme>, where the style sheet picks its colours; canvases read them from there.
import { useEffect, useState } from 'react';
import { usePrefs, type ThemeChoice } from '../state/prefs-store';

export type Theme = 'light' | 'dark';

const darkQuery = (): MediaQueryList | null => (typeof matchMedia === 'function' ? matchMedia('(prefers-color-scheme: dark)') : null);

/** The theme a choice means now. */
export function resolveTheme(choice: ThemeChoice, systemDark: boolean): Theme {
  return choice === 'system' ? (systemDark ? 'dark' : 'light') : choice;
}

/** Applies the chosen theme and follows the system's while the choice is "system"; returns the theme in use. */
export function useTheme(): Theme {
  const choice = usePrefs((s) => s.theme);
  const [systemDark, setSystemDark] = useState(() => darkQuery()?.matches ?? true);
  useEffect(() => {
    const query = darkQuery();
    if (!query) return;
    const follow = (e: MediaQueryListEvent): void => setSystemDark(e.matches);
    query.addEventListener('change', follow);
    return () => query.removeEventListener('change', follow);
  }, []);
  const theme = resolveTheme(choice, systemDark);
  useEffect(() => {
    document.documentElement.dataset.theme = theme;
  }, [theme]);
  return theme;
}

/** The theme in use, for components that draw (re-render when it changes). */
export function useResolvedTheme(): Theme {
  const choice = usePrefs((s) => s.theme);
  const [, tick] = useState(0);
  useEffect(() => {
    const query = darkQuery();
    if (!query) return;
    const follow = (): void => tick((n) => n + 1);
    query.addEventListener('change', follow);
    return () => query.removeEventListener('change', follow);
  }, []);
  return resolveTheme(choice, darkQuery()?.matches ?? true);
}

/** Colours of what is drawn on canvases (the style sheet has the same ones for the rest). */
export interface Palette {
  readonly wave: string;
  readonly waveProgress: string;
  readonly cursor: string;
  readonly label: string;
  /** The taggram's cells: red, green, blue of the heat colour over the panel. */
  readonly heat: readonly [number, number, number];
  readonly threshold: string;
}

export const PALETTES: Readonly<Record<Theme, Palette>> = {
  dark: { wave: '#4b5563', waveProgress: '#6cb6ff', cursor: '#e6e8eb', label: '#9aa3ad', heat: [108, 182, 255], threshold: '#e3b341' },
  light: { wave: '#9aa4b2', waveProgress: '#1f6feb', cursor: '#1f2328', label: '#57606a', heat: [31, 111, 235], threshold: '#9a6700' },
};
