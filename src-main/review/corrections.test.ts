import { describe, expect, it } from 'vitest';
import { correctionKey, needsUpload, parseCorrectionKey, toCorrection } from './corrections';

const hash = 'ab'.repeat(32);

describe('corrections for upload', () => {
  it('counts a track once it carries a judgement that was not uploaded yet', () => {
    expect(needsUpload({ labelRev: 0, uploadedRev: 0, labelCount: 0, reviewed: false })).toBe(false);
    expect(needsUpload({ labelRev: 1, uploadedRev: 0, labelCount: 1, reviewed: false })).toBe(true);
    expect(needsUpload({ labelRev: 1, uploadedRev: 0, labelCount: 0, reviewed: true })).toBe(true);
    expect(needsUpload({ labelRev: 2, uploadedRev: 2, labelCount: 3, reviewed: true })).toBe(false);
    // A label made and undone before any upload is nothing to upload ...
    expect(needsUpload({ labelRev: 2, uploadedRev: 0, labelCount: 0, reviewed: false })).toBe(false);
    // ... but withdrawing an uploaded one is.
    expect(needsUpload({ labelRev: 3, uploadedRev: 2, labelCount: 0, reviewed: false })).toBe(true);
  });

  it('keys snapshots by hash and revision', () => {
    expect(correctionKey(hash, 7)).toBe(`${hash}:7`);
    expect(parseCorrectionKey(`${hash}:7`)).toEqual({ hash, labelRev: 7 });
    expect(parseCorrectionKey('nope:1')).toBeNull();
  });

  it('lists final, added and removed tags against the prediction', () => {
    const c = toCorrection({
      trackHash: hash,
      labelRev: 4,
      artist: 'A',
      album: null,
      title: 'T',
      durationSec: 30,
      predicted: [
        { tag: 'jazz', category: 'genre', score: 0.8, threshold: 0.2 },
        { tag: 'rock', category: 'genre', score: 0.3, threshold: 0.2 },
        { tag: 'blues', category: 'genre', score: 0.1, threshold: 0.2 },
      ],
      labels: new Map([
        ['rock', 'rejected'],
        ['blues', 'added'],
        ['shoegaze', 'added'],
      ] as const),
      modelId: 'm',
      modelVersion: '1',
      reviewedAt: null,
      embedding: null,
      audioPath: '/x.mp3',
    });
    expect(c.key).toBe(`${hash}:4`);
    expect([...c.finalTags].sort()).toEqual(['blues', 'jazz', 'shoegaze']);
    expect([...c.tagsAdded].sort()).toEqual(['blues', 'shoegaze']);
    expect(c.tagsRemoved).toEqual(['rock']);
    expect(c.predictedScores).toEqual({ jazz: 0.8, rock: 0.3, blues: 0.1 });
    expect(c.learned).toEqual([]);
  });

  it('says which learned tags a correction confirmed or rejected, with the score each had', () => {
    const c = toCorrection({
      trackHash: hash,
      labelRev: 2,
      artist: null,
      album: null,
      title: null,
      durationSec: 30,
      predicted: [],
      labels: new Map([
        ['shoegaze', 'added'],
        ['late-night', 'rejected'],
        ['dreamy', 'added'],
      ] as const),
      modelId: 'm',
      modelVersion: '1',
      reviewedAt: null,
      embedding: null,
      audioPath: null,
      // 'dreamy' was typed by the person, not suggested; a stale score of a label since cleared is ignored.
      learnedScores: new Map([
        ['shoegaze', 0.91],
        ['late-night', 0.64],
        ['cleared', 0.7],
      ]),
    });
    expect(c.learned).toEqual([
      { tag: 'late-night', score: 0.64, verdict: 'rejected' },
      { tag: 'shoegaze', score: 0.91, verdict: 'confirmed' },
    ]);
  });
});
