import { describe, expect, it } from 'vitest';
import { DEFAULT_QUERY } from './library-store';
import { parseSession } from './session-store';

describe('saved session', () => {
  it('comes back as saved, with anything unknown dropped', () => {
    const text = JSON.stringify({
      mode: 'review',
      query: { search: 'jazz', statuses: ['tagged', 'bogus'], tag: 'rock', minConfidence: 0.3, sort: 'random()', descending: true },
      focusedId: 12,
      selected: [12, 13, -1, 'x'],
      scrollTop: 640,
    });
    expect(parseSession(text, DEFAULT_QUERY)).toEqual({
      mode: 'review',
      query: { search: 'jazz', statuses: ['tagged'], tag: 'rock', learnedTag: null, minConfidence: 0.3, sort: 'added', descending: true },
      focusedId: 12,
      selected: [12, 13],
      scrollTop: 640,
    });
    // A filter by a learned tag's suggestions comes back too.
    const learned = JSON.stringify({ mode: 'library', query: { learnedTag: 'late-night', tag: 7 } });
    expect(parseSession(learned, DEFAULT_QUERY)?.query).toMatchObject({ learnedTag: 'late-night', tag: null });
    expect(parseSession('{broken', DEFAULT_QUERY)).toBeNull();
    expect(parseSession(null, DEFAULT_QUERY)).toBeNull();
  });
});
