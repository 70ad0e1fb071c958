import { describe, expect, it } from 'vitest';
import type { FinalTag } from '../review/final-tags';
import { capitalise, changesOf, DEFAULT_FILE_TAG_SETTINGS as D, plannedValues, valuesToWrite } from './plan';

const tag = (name: string, category: FinalTag['category'], confidence: number, source: FinalTag['source'] = 'model'): FinalTag => ({
  tag: name,
  category,
  score: category ? confidence : null,
  confidence,
  source,
});

describe('plannedValues', () => {
  const tags = [
    tag('post-rock', 'genre', 1, 'accepted'),
    tag('melancholic', 'descriptor', 0.9),
    tag('rock', 'genre', 0.7),
    tag('female vocalists', 'vocal', 0.8),
    tag('atmospheric', 'descriptor', 0.25),
    tag('shoegaze', null, 1, 'added'),
  ];

  it('sorts categories into fields, drops unconfirmed tags below the minimum, capitalises', () => {
    expect(plannedValues(tags, D)).toEqual({ genre: ['Post-Rock', 'Rock'], mood: ['Melancholic'] });
  });

  it('follows the settings: other categories, free-form tags, the cap, lower case, the minimum', () => {
    const s = { ...D, targets: { ...D.targets, vocal: 'mood', unknown: 'genre' }, maxPerField: 2, capitalisation: 'lower', minConfidence: 0.2 } as const;
    expect(plannedValues(tags, s)).toEqual({ genre: ['post-rock', 'rock'], mood: ['melancholic', 'female vocalists'] });
  });

  it('keeps tags a person confirmed whatever their score', () => {
    expect(plannedValues([tag('jazz', 'genre', 1, 'accepted')], { ...D, minConfidence: 1 }).genre).toEqual(['Jazz']);
  });
});

describe('capitalise', () => {
  it.each([
    ['post-rock', 'Post-Rock'],
    ['hip hop', 'Hip Hop'],
    ['drum & bass', 'Drum & Bass'],
    ['80s', '80s'],
    ['Mellow', 'Mellow'],
  ])('%s -> %s', (a, b) => expect(capitalise(a, 'title')).toBe(b));
});

describe('valuesToWrite', () => {
  const planned = { genre: ['Post-Rock'], mood: ['Calm'] };
  it('merges with what the file has, replacing only what eno wrote before', () => {
    const inFile = { genre: ['Jazz', 'Rock'], mood: [] };
    expect(valuesToWrite(planned, inFile, D, { genre: ['Rock'], mood: [] })).toEqual({ genre: ['Jazz', 'Post-Rock'], mood: ['Calm'] });
    expect(valuesToWrite(planned, { genre: ['Jazz; post-rock'], mood: [] }, D)).toEqual({ genre: ['Jazz', 'post-rock'], mood: ['Calm'] });
  });
  it('keeps fields the file has, or replaces them', () => {
    const inFile = { genre: ['Jazz'], mood: [] };
    expect(valuesToWrite(planned, inFile, { ...D, existing: 'keep' })).toEqual({ mood: ['Calm'] });
    expect(valuesToWrite(planned, inFile, { ...D, existing: 'replace' })).toEqual(planned);
  });
  it('never touches a field no category writes to', () => {
    expect(valuesToWrite(planned, { genre: [], mood: ['Sad'] }, { ...D, targets: { ...D.targets, descriptor: 'none' } })).toEqual({ genre: ['Post-Rock'] });
  });
});

describe('changesOf', () => {
  it('lists the fields that change; a joined string equal to the values is no change', () => {
    expect(changesOf({ genre: ['Rock; Pop'], mood: [] }, { genre: ['Rock', 'Pop'], mood: ['Calm'] }, '; ')).toEqual([
      { field: 'mood', before: [], after: ['Calm'] },
    ]);
  });
});
