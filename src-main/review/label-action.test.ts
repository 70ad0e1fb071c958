import { describe, expect, it } from 'vitest';
import { invertChanges, describeLabelStep, describeReviewedStep, historyState, touchedTracks, type Change } from './history';
import { planLabelChanges, planReviewedChanges, stateAfter } from './label-action';

const above = { modelKey: 'm@1', score: 0.7, threshold: 0.2 };
const below = { modelKey: 'm@1', score: 0.05, threshold: 0.2 };
const unreviewed = { reviewedAt: null, needsReview: false };
const reviewedMark = { reviewedAt: '2024-01-01T00:00:00.000Z', needsReview: false };

describe('stateAfter', () => {
  it('accept of a predicted tag is accepted; of a tag below threshold or unknown it is added', () => {
    expect(stateAfter('accept', above)).toBe('accepted');
    expect(stateAfter('accept', below)).toBe('added');
    expect(stateAfter('add', below)).toBe('added');
    expect(stateAfter('add', null)).toBe('added');
    expect(stateAfter('add', above)).toBe('accepted');
  });

  it('reject is rejected whatever the model said; clear removes the label', () => {
    expect(stateAfter('reject', above)).toBe('rejected');
    expect(stateAfter('reject', null)).toBe('rejected');
    expect(stateAfter('clear', above)).toBeNull();
  });
});

describe('planLabelChanges', () => {
  it('changes every selected track not already in the wanted state, recording what it corrected', () => {
    const changes = planLabelChanges(
      [
        { trackId: 1, current: null, prediction: above },
        { trackId: 2, current: { state: 'rejected', modelKey: 'm@1', predictedScore: 0.7 }, prediction: above },
        { trackId: 3, current: null, prediction: below },
        { trackId: 4, current: null, prediction: null },
      ],
      'reject',
      'jazz',
    );
    expect(changes).toEqual([
      { kind: 'label', trackId: 1, tag: 'jazz', before: null, after: { state: 'rejected', modelKey: 'm@1', predictedScore: 0.7, learnedScore: null } },
      { kind: 'label', trackId: 3, tag: 'jazz', before: null, after: { state: 'rejected', modelKey: 'm@1', predictedScore: 0.05, learnedScore: null } },
      { kind: 'label', trackId: 4, tag: 'jazz', before: null, after: { state: 'rejected', modelKey: null, predictedScore: null, learnedScore: null } },
    ]);
  });

  it('clear on unlabelled tracks changes nothing', () => {
    expect(planLabelChanges([{ trackId: 1, current: null, prediction: above }], 'clear', 'jazz')).toEqual([]);
  });
});

describe('history steps', () => {
  it('inverts a step: befores and afters swap, order reverses', () => {
    const step: Change[] = [
      { kind: 'label', trackId: 1, tag: 'a', before: null, after: { state: 'added', modelKey: null, predictedScore: null } },
      { kind: 'reviewed', trackId: 2, before: unreviewed, after: reviewedMark },
    ];
    expect(invertChanges(step)).toEqual([
      { kind: 'reviewed', trackId: 2, before: reviewedMark, after: unreviewed },
      { kind: 'label', trackId: 1, tag: 'a', before: { state: 'added', modelKey: null, predictedScore: null }, after: null },
    ]);
    expect(invertChanges(invertChanges(step))).toEqual(step);
    expect(touchedTracks([...step, ...step])).toEqual([1, 2]);
  });

  it('plans review marks only where they change; a flagged track is reviewed again', () => {
    const now = '2024-05-01T10:00:00.000Z';
    const flagged = { reviewedAt: '2024-01-01T00:00:00.000Z', needsReview: true };
    const targets = [
      { trackId: 1, mark: unreviewed },
      { trackId: 2, mark: reviewedMark },
      { trackId: 3, mark: flagged },
    ];
    expect(planReviewedChanges(targets, true, now)).toEqual([
      { kind: 'reviewed', trackId: 1, before: unreviewed, after: { reviewedAt: now, needsReview: false } },
      { kind: 'reviewed', trackId: 3, before: flagged, after: { reviewedAt: now, needsReview: false } },
    ]);
    expect(planReviewedChanges(targets, false, now)).toEqual([
      { kind: 'reviewed', trackId: 2, before: reviewedMark, after: unreviewed },
      { kind: 'reviewed', trackId: 3, before: flagged, after: { reviewedAt: null, needsReview: true } },
    ]);
  });

  it('describes steps for the undo menu', () => {
    expect(describeLabelStep('reject', 'jazz', 3)).toBe('Reject "jazz" on 3 tracks');
    expect(describeLabelStep('add', 'shoegaze', 1)).toBe('Add "shoegaze" on 1 track');
    expect(describeReviewedStep(true, 2)).toBe('Mark 2 tracks reviewed');
    expect(historyState('a', null)).toEqual({ canUndo: true, canRedo: false, undoLabel: 'a', redoLabel: null });
  });
});
