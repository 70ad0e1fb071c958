// Learns one tag from a person's examples: fits the classifier on the standardised embeddings of the
// positive and negative tracks, cross-validates it (held-out scores give the threshold, chosen for
// precision first, and the precision and recall a person can expect), and scores the whole library.
import type { EmbeddingIndex, Standardiser } from './embedding-index';
import { chooseThreshold, precisionRecallAt, rocAuc, stratifiedFolds } from './evaluation';
import { balancedWeights, fitLogistic, sigmoid, type Design, type LogisticModel } from './logistic';

/** Examples needed of each kind before a tag is learned. */
export const MIN_EXAMPLES = 3;
/** Below this cross-validated precision a tag is "not learnable yet" and suggests nothing. */
export const MIN_PRECISION = 0.5;
/** ...and at or below this held-out ROC AUC: its scores do not rank positives above negatives. */
export const MIN_AUC = 0.6;
/** Inverse regularisation strength of the logistic regression (chosen on the few-shot benchmark). */
export const DEFAULT_C = 0.1;
/** Folds of the cross-validation (fewer when a class has fewer examples)... */
const MAX_FOLDS = 5;
/** ...and 3 from this many examples on, where 3 folds estimate as well and cost less. */
const MANY_EXAMPLES = 1000;

/** The classifiers a learned tag can use. */
export type ClassifierKind = 'logistic' | 'prototype';

/** A fitted classifier, as stored with its learned tag (plain data: JSON-safe once arrays are copied). */
export type StoredClassifier =
  | { readonly kind: 'logistic'; readonly c: number; readonly mean: number[]; readonly scale: number[]; readonly weights: number[]; readonly bias: number }
  | { readonly kind: 'prototype'; readonly mean: number[]; readonly scale: number[]; readonly direction: number[] };

/** The examples of one tag: track ids. */
export interface TagExamples {
  readonly positives: readonly number[];
  readonly negatives: readonly number[];
}

/** What learning a tag gave. */
export type TagFit =
  | { readonly status: 'too-few'; readonly positives: number; readonly negatives: number }
  | {
      readonly status: 'learned' | 'not-learnable';
      readonly positives: number;
      readonly negatives: number;
      readonly classifier: StoredClassifier;
      readonly threshold: number;
      /** Cross-validated, at the threshold. */
      readonly precision: number;
      readonly recall: number;
      readonly auc: number;
      /** The examples used (track ids with an embedding in the space). */
      readonly used: TagExamples;
    };

/** Options of a fit. */
export interface LearnOptions {
  readonly kind?: ClassifierKind;
  readonly c?: number;
}

function toArray(a: ArrayLike<number>): number[] {
  return Array.from(a);
}

/** Fits a classifier of a kind on a design (standardised rows) and labels. */
function fitKind(kind: ClassifierKind, design: Design, labels: Float64Array, c: number, start?: LogisticModel): { score: (rows: Float32Array, i: number) => number; model: LogisticModel | Float64Array } {
  if (kind === 'logistic') {
    const model = fitLogistic(design, labels, { c, sampleWeights: balancedWeights(labels), start });
    return {
      model,
      score: (rows, i) => {
        let z = model.bias;
        for (let j = 0; j < design.d; j++) z += model.weights[j]! * rows[i * design.d + j]!;
        return sigmoid(z);
      },
    };
  }
  const direction = prototypeDirection(design, labels);
  return { model: direction, score: (rows, i) => prototypeScore(direction, rows, i, design.d) };
}

/** The difference of the mean unit-length positive and negative rows. */
function prototypeDirection(design: Design, labels: Float64Array): Float64Array {
  const { d, n, x } = design;
  const pos = new Float64Array(d);
  const neg = new Float64Array(d);
  let np = 0;
  let nn = 0;
  for (let i = 0; i < n; i++) {
    let norm = 0;
    for (let j = 0; j < d; j++) norm += x[i * d + j]! * x[i * d + j]!;
    const inv = norm > 0 ? 1 / Math.sqrt(norm) : 0;
    const target = labels[i]! > 0 ? pos : neg;
    for (let j = 0; j < d; j++) target[j]! += x[i * d + j]! * inv;
    if (labels[i]! > 0) np++;
    else nn++;
  }
  const out = new Float64Array(d);
  for (let j = 0; j < d; j++) out[j] = pos[j]! / Math.max(1, np) - neg[j]! / Math.max(1, nn);
  return out;
}

/** A prototype score mapped to [0, 1]: cosine to the direction, halved and shifted. */
function prototypeScore(direction: Float64Array, rows: Float32Array, i: number, d: number): number {
  let dotp = 0;
  let norm = 0;
  for (let j = 0; j < d; j++) {
    const v = rows[i * d + j]!;
    dotp += v * direction[j]!;
    norm += v * v;
  }
  let dn = 0;
  for (let j = 0; j < d; j++) dn += direction[j]! * direction[j]!;
  const cos = norm > 0 && dn > 0 ? dotp / Math.sqrt(norm * dn) : 0;
  return (cos + 1) / 2;
}

function stored(kind: ClassifierKind, model: LogisticModel | Float64Array, std: Standardiser, c: number): StoredClassifier {
  const mean = toArray(std.mean);
  const scale = toArray(std.scale);
  if (kind === 'logistic') {
    const m = model as LogisticModel;
    return { kind, c, mean, scale, weights: toArray(m.weights), bias: m.bias };
  }
  return { kind, mean, scale, direction: toArray(model as Float64Array) };
}

/** Learns a tag from its examples; tracks without an embedding in the index's space are skipped. */
export function learnTag(index: EmbeddingIndex, examples: TagExamples, options: LearnOptions = {}): TagFit {
  const kind = options.kind ?? 'logistic';
  const c = options.c ?? DEFAULT_C;
  const positives = examples.positives.filter((id) => index.row(id) !== undefined);
  const negatives = examples.negatives.filter((id) => index.row(id) !== undefined);
  if (positives.length < MIN_EXAMPLES || negatives.length < MIN_EXAMPLES) {
    return { status: 'too-few', positives: positives.length, negatives: negatives.length };
  }
  const ids = [...positives, ...negatives];
  const labels = Float64Array.from(ids, (_, i) => (i < positives.length ? 1 : 0));
  const x = index.standardisedRows(ids.map((id) => index.row(id)!));
  const d = index.d;
  const full = fitKind(kind, { x, n: ids.length, d }, labels, c);

  // Held-out scores: each example scored by a model fitted without its fold.
  const k = Math.min(ids.length >= MANY_EXAMPLES ? 3 : MAX_FOLDS, positives.length, negatives.length);
  const fold = stratifiedFolds(labels, k);
  const heldOut = new Float64Array(ids.length);
  for (let f = 0; f < k; f++) {
    const train: number[] = [];
    const test: number[] = [];
    fold.forEach((v, i) => (v === f ? test : train).push(i));
    const tx = new Float32Array(train.length * d);
    train.forEach((r, i) => tx.set(x.subarray(r * d, (r + 1) * d), i * d));
    const fitted = fitKind(kind, { x: tx, n: train.length, d }, Float64Array.from(train, (r) => labels[r]!), c,
      kind === 'logistic' ? (full.model as LogisticModel) : undefined);
    for (const r of test) heldOut[r] = fitted.score(x, r);
  }
  const chosen = chooseThreshold(heldOut, labels);
  const { precision, recall } = precisionRecallAt(heldOut, labels, chosen.threshold);
  const auc = rocAuc(heldOut, labels);
  return {
    status: precision >= MIN_PRECISION && auc > MIN_AUC ? 'learned' : 'not-learnable',
    positives: positives.length,
    negatives: negatives.length,
    classifier: stored(kind, full.model, index.standardiser, c),
    threshold: chosen.threshold,
    precision,
    recall,
    auc,
    used: { positives, negatives },
  };
}

/** Scores every track of the index with a stored classifier (one score per row). */
export function scoreAll(index: EmbeddingIndex, classifier: StoredClassifier): Float32Array {
  return scoreMany(index, [classifier])[0]!;
}

/** Logistic weights with the standardisation folded in, so a score is one dot product with a raw row. */
function foldedWeights(c: Extract<StoredClassifier, { kind: 'logistic' }>, d: number): { w: Float64Array; bias: number } {
  const w = new Float64Array(d);
  let bias = c.bias;
  for (let j = 0; j < d; j++) {
    w[j] = c.weights[j]! / c.scale[j]!;
    bias -= w[j]! * c.mean[j]!;
  }
  return { w, bias };
}

/**
 * Scores every track with several classifiers in one pass over the embeddings: each row is read
 * once for all of them (the matrix is far larger than the caches; the weights are not).
 */
export function scoreMany(index: EmbeddingIndex, classifiers: readonly StoredClassifier[]): Float32Array[] {
  const { n, d, rows } = index;
  for (const c of classifiers) {
    if (c.mean.length !== d) throw new Error(`the classifier expects ${c.mean.length} values per embedding, the space has ${d}`);
  }
  const out = classifiers.map(() => new Float32Array(n));
  const logistic = classifiers.flatMap((c, k) => (c.kind === 'logistic' ? [{ k, ...foldedWeights(c, d) }] : []));
  const m = logistic.length;
  if (m > 0) {
    // Transposed (dimension-major), so the innermost loop over classifiers reads contiguously.
    const w = new Float64Array(m * d);
    logistic.forEach((l, t) => l.w.forEach((v, j) => (w[j * m + t] = v)));
    // Four rows at a time: each weight read serves four dot products.
    const z0 = new Float64Array(m);
    const z1 = new Float64Array(m);
    const z2 = new Float64Array(m);
    const z3 = new Float64Array(m);
    const zs = [z0, z1, z2, z3];
    for (let i = 0; i < n; i += 4) {
      const count = Math.min(4, n - i);
      for (let t = 0; t < m; t++) z0[t] = z1[t] = z2[t] = z3[t] = logistic[t]!.bias;
      const b0 = i * d;
      const b1 = b0 + d;
      const b2 = b1 + d;
      const b3 = b2 + d;
      for (let j = 0; j < d; j++) {
        const v0 = rows[b0 + j]!;
        const v1 = count > 1 ? rows[b1 + j]! : 0;
        const v2 = count > 2 ? rows[b2 + j]! : 0;
        const v3 = count > 3 ? rows[b3 + j]! : 0;
        if (v0 === 0 && v1 === 0 && v2 === 0 && v3 === 0) continue; // embeddings after a ReLU are often exactly 0
        const at = j * m;
        for (let t = 0; t < m; t++) {
          const wt = w[at + t]!;
          z0[t]! += wt * v0;
          z1[t]! += wt * v1;
          z2[t]! += wt * v2;
          z3[t]! += wt * v3;
        }
      }
      for (let r = 0; r < count; r++) {
        const z = zs[r]!;
        for (let t = 0; t < m; t++) out[logistic[t]!.k]![i + r] = sigmoid(z[t]!);
      }
    }
  }
  classifiers.forEach((c, k) => {
    if (c.kind !== 'prototype') return;
    const direction = Float64Array.from(c.direction);
    const row = new Float32Array(d);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < d; j++) row[j] = (rows[i * d + j]! - c.mean[j]!) / c.scale[j]!;
      out[k]![i] = prototypeScore(direction, row, 0, d);
    }
  });
  return out;
}
