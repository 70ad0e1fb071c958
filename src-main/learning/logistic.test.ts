// The learned-tag classifier against scikit-learn's LogisticRegression on real embeddings: the
// penultimate-layer activations musicnn's own extractor gave for the shared clips (the reference
// fixtures), one row per 3-second patch, labelled "jazz clip or not".
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO_ROOT, tempDir } from '../../test-support/fixtures';
import { sklearnLogistic } from '../../test-support/sklearn-reference';
import { standardiserOf } from './embedding-index';
import { balancedWeights, fitLogistic, predictRow } from './logistic';

const tmp = tempDir();
afterAll(() => tmp.cleanup());

const JAZZ = ['Kevin_MacLeod_-_Vibe_Ace', 'bensound-thejazzpiano', 'sorohanro_-_solo-trumpet-06'];

function referenceRows(): { rows: number[][]; labels: number[] } {
  const dir = join(REPO_ROOT, 'models', 'musicnn-msd', 'reference');
  const rows: number[][] = [];
  const labels: number[] = [];
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.json')).sort()) {
    const ref = JSON.parse(readFileSync(join(dir, file), 'utf8')) as { penultimate?: number[][] };
    if (!ref.penultimate) continue; // a synthetic front-end fixture, not a clip
    const jazz = JAZZ.some((j) => file.startsWith(j)) ? 1 : 0;
    for (const row of ref.penultimate) {
      rows.push(row);
      labels.push(jazz);
    }
  }
  return { rows, labels };
}

describe('logistic regression', () => {
  const { rows, labels } = referenceRows();
  const d = rows[0]!.length;
  const n = rows.length;
  const raw = Float32Array.from(rows.flat());
  const std = standardiserOf(raw, n, d);
  const x = new Float32Array(n * d);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) x[i * d + j] = (raw[i * d + j]! - std.mean[j]!) / std.scale[j]!;

  it('has real data to work on', () => {
    expect(d).toBe(200);
    expect(n).toBeGreaterThan(100);
    const positives = labels.filter((l) => l === 1).length;
    expect(positives).toBeGreaterThan(10);
    expect(n - positives).toBeGreaterThan(positives);
  });

  for (const c of [0.1, 1]) {
    it(`agrees with scikit-learn's LogisticRegression (C=${c}, balanced weights) to 1e-3 in probability`, () => {
      // Fit on every other row, score all of them (held-out rows too).
      const train = Array.from({ length: n }, (_, i) => i).filter((i) => i % 2 === 0);
      const tx = new Float32Array(train.length * d);
      train.forEach((r, i) => tx.set(x.subarray(r * d, (r + 1) * d), i * d));
      const ty = train.map((r) => labels[r]!);
      const weights = balancedWeights(ty);
      const model = fitLogistic({ x: tx, n: train.length, d }, ty, { c, sampleWeights: weights });
      const ours = Array.from({ length: n }, (_, i) => predictRow(model, x, i * d));
      const toRows = (m: Float32Array, count: number) => Array.from({ length: count }, (_, i) => Array.from(m.subarray(i * d, (i + 1) * d)));
      const reference = sklearnLogistic(tmp.dir, { x: toRows(tx, train.length), y: ty, sampleWeight: Array.from(weights), c, query: toRows(x, n) });
      let worst = 0;
      for (let i = 0; i < n; i++) worst = Math.max(worst, Math.abs(ours[i]! - reference.probability[i]!));
      console.log(`C=${c}: worst |p - p(scikit-learn)| over ${n} rows: ${worst.toExponential(1)}`);
      expect(worst).toBeLessThanOrEqual(1e-3);
      // Not a trivial problem: the probabilities spread over the whole range.
      expect(Math.min(...ours)).toBeLessThan(0.1);
      expect(Math.max(...ours)).toBeGreaterThan(0.9);
      expect(Math.abs(model.bias - reference.intercept)).toBeLessThan(1e-2);
    });
  }

  it('separates what it was fitted on and starts warm from an earlier fit', () => {
    const weights = balancedWeights(labels);
    const cold = fitLogistic({ x, n, d }, labels, { c: 0.1, sampleWeights: weights, tolerance: 1e-8 });
    const warm = fitLogistic({ x, n, d }, labels, { c: 0.1, sampleWeights: weights, tolerance: 1e-8, start: cold });
    for (let i = 0; i < n; i += 7) expect(predictRow(warm, x, i * d)).toBeCloseTo(predictRow(cold, x, i * d), 5);
    const correct = labels.filter((l, i) => (predictRow(cold, x, i * d) >= 0.5 ? 1 : 0) === l).length;
    expect(correct / n).toBeGreaterThan(0.95);
  });
});
