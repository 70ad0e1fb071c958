// Scoring the library with many learned tags in one pass gives, for every track and tag, what the
// classifier gives that track's embedding alone (the pass works four rows at a time and skips zeros).
import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../test-support/synthetic-library';
import { EmbeddingIndex } from './embedding-index';
import { classifierScore } from './learned-scorer';
import { scoreMany, type StoredClassifier } from './tag-learner';

describe('scoreMany', () => {
  it('agrees with one classifier on one embedding, for every row and a row count not a multiple of four', () => {
    const rnd = seededRandom(11);
    const n = 103;
    const d = 24;
    // ReLU-like rows: about a third of the values exactly 0, and one row all zeros.
    const rows = Float32Array.from({ length: n * d }, (_, k) => (Math.floor(k / d) === 50 ? 0 : Math.max(0, rnd() * 2 - 0.7)));
    const index = new EmbeddingIndex('m@1', Int32Array.from({ length: n }, (_, i) => i + 1), rows, d, 'g');
    const classifiers: StoredClassifier[] = Array.from({ length: 5 }, (_, c) => ({
      kind: 'logistic',
      c: 0.1,
      mean: Array.from({ length: d }, () => rnd() * 0.5),
      scale: Array.from({ length: d }, () => 0.5 + rnd()),
      weights: Array.from({ length: d }, () => rnd() * 4 - 2),
      bias: c - 2,
    }));
    const scores = scoreMany(index, classifiers);
    for (let k = 0; k < classifiers.length; k++) {
      for (let i = 0; i < n; i++) expect(scores[k]![i]).toBeCloseTo(classifierScore(classifiers[k]!, rows.subarray(i * d, (i + 1) * d)), 5);
    }
  });
});
