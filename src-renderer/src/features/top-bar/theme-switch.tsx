// Light, dark, or as the system says: one button that goes round the three.
import { setTheme, usePrefs, type ThemeChoice } from '../../state/prefs-store';

const NEXT: Record<ThemeChoice, ThemeChoice> = { system: 'light', light: 'dark', dark: 'system' };
const ICON: Record<ThemeChoice, string> = { system: '◐', light: '☀', dark: '☾' };
const WORDS: Record<ThemeChoice, string> = { system: 'as the system', light: 'light', dark: 'dark' };

/** The theme button. */
export function ThemeSwitch(): React.JSX.Element {
  const theme = usePrefs((s) => s.theme);
  return (
    <button className="icon" onClick={() => setTheme(NEXT[theme])} aria-label={`Theme: ${WORDS[theme]}`} title={`Theme: ${WORDS[theme]} (click for ${WORDS[NEXT[theme]]})`}>
      {ICON[theme]}
    </button>
  );
}
