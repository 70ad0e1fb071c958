import { describe, expect, it } from 'vitest';
import { DEFAULT_COLUMN_PREFS } from '../features/library/columns';
import { DEFAULT_SPLIT, readPrefs } from './prefs-store';

describe('stored preferences', () => {
  it('come back as saved, and as defaults when missing or damaged', () => {
    expect(readPrefs(null)).toEqual({ columns: DEFAULT_COLUMN_PREFS, splitFraction: DEFAULT_SPLIT, theme: 'system' });
    expect(readPrefs('{not json')).toEqual(readPrefs(null));
    const saved = readPrefs(JSON.stringify({ splitFraction: 0.4, theme: 'light', columns: { ...DEFAULT_COLUMN_PREFS, hidden: [] } }));
    expect(saved).toMatchObject({ splitFraction: 0.4, theme: 'light' });
    expect(saved.columns.hidden).toEqual([]);
    expect(readPrefs(JSON.stringify({ splitFraction: 3, theme: 'purple' }))).toMatchObject({ splitFraction: DEFAULT_SPLIT, theme: 'system' });
  });
});
