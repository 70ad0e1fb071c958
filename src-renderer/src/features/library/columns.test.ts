import { describe, expect, it } from 'vitest';
import { DEFAULT_COLUMN_PREFS, gridTemplate, moveColumn, resizeColumn, sanitizeColumnPrefs, toggleColumn, visibleColumns } from './columns';

const ids = (p: typeof DEFAULT_COLUMN_PREFS) => visibleColumns(p).map((c) => c.id);

describe('table columns', () => {
  it('shows title, artist, album, length, tags and status by default, the title taking the spare width', () => {
    expect(ids(DEFAULT_COLUMN_PREFS)).toEqual(['title', 'artist', 'album', 'length', 'tags', 'status']);
    expect(gridTemplate(DEFAULT_COLUMN_PREFS)).toBe('minmax(140px, 2fr) minmax(60px, 1fr) minmax(60px, 1fr) 52px minmax(80px, 1.4fr) 96px');
  });

  it('shows, hides, reorders and resizes, never hiding the title nor going under a minimum', () => {
    let p = toggleColumn(DEFAULT_COLUMN_PREFS, 'art');
    p = toggleColumn(p, 'album');
    p = toggleColumn(p, 'title');
    expect(ids(p)).toEqual(['art', 'title', 'artist', 'length', 'tags', 'status']);
    p = moveColumn(p, 'status', -1);
    p = moveColumn(p, 'art', -1);
    expect(ids(p)).toEqual(['art', 'title', 'artist', 'length', 'status', 'tags']);
    p = resizeColumn(p, 'artist', 20);
    p = resizeColumn(p, 'title', 300);
    expect(gridTemplate(p)).toBe('32px minmax(300px, 2fr) 60px 52px 96px minmax(80px, 1.4fr)');
    expect(gridTemplate(resizeColumn(p, 'artist', null))).toContain('minmax(60px, 1fr) 52px');
  });

  it('reads stored preferences defensively, adding columns it did not know', () => {
    expect(sanitizeColumnPrefs('garbage')).toEqual(DEFAULT_COLUMN_PREFS);
    const p = sanitizeColumnPrefs({ order: ['status', 'title', 'bogus', 'title'], hidden: ['title', 'album', 7], widths: { artist: 9999, nope: 3, length: 'x' } });
    expect(p.order.slice(0, 3)).toEqual(['status', 'title', 'art']);
    expect(p.order).toHaveLength(10);
    expect(p.hidden).toEqual(['album']);
    expect(p.widths).toEqual({ artist: 1200 });
  });
});
