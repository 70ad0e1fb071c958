// L2-regularised logistic regression, fitted by L-BFGS on standardised features: the classifier of
// a learned tag. It minimises the objective scikit-learn's LogisticRegression minimises (lbfgs,
// unpenalised intercept): C * sum_i s_i * logloss_i + ||w||^2 / 2, with per-example weights s_i,
// so the two agree on the same data (a test checks it against scikit-learn itself). Like
// scikit-learn, it works on that objective divided by C * sum_i s_i, whose gradient does not grow
// with the number of examples, so one tolerance suits a handful of examples and ten thousand.

/** Examples as rows of a dense float matrix. */
export interface Design {
  /** n x d, row-major. */
  readonly x: Float32Array;
  readonly n: number;
  readonly d: number;
}

/** A fitted model: p(tag | x) = sigmoid(w . x + b). */
export interface LogisticModel {
  readonly weights: Float64Array;
  readonly bias: number;
}

/** How to fit. */
export interface LogisticOptions {
  /** Inverse regularisation strength, as scikit-learn's C. */
  readonly c: number;
  /** Per-example weights (default 1 each). */
  readonly sampleWeights?: ArrayLike<number>;
  /** Stop when the largest component of the (scaled) gradient is below this (default 1e-5). */
  readonly tolerance?: number;
  readonly maxIterations?: number;
  /** Start from this model (a refit after a small change converges in a few steps). */
  readonly start?: LogisticModel;
}

/** Weights that give each class the same total weight, as scikit-learn's class_weight='balanced'. */
export function balancedWeights(labels: ArrayLike<number>): Float64Array {
  let positives = 0;
  for (let i = 0; i < labels.length; i++) positives += labels[i]! > 0 ? 1 : 0;
  const negatives = labels.length - positives;
  const out = new Float64Array(labels.length);
  for (let i = 0; i < labels.length; i++) {
    out[i] = labels[i]! > 0 ? labels.length / (2 * Math.max(1, positives)) : labels.length / (2 * Math.max(1, negatives));
  }
  return out;
}

/** log(1 + exp(z)) without overflow. */
function softplus(z: number): number {
  return z > 0 ? z + Math.log1p(Math.exp(-z)) : Math.log1p(Math.exp(z));
}

/** The logistic function. */
export function sigmoid(z: number): number {
  if (z >= 0) return 1 / (1 + Math.exp(-z));
  const e = Math.exp(z);
  return e / (1 + e);
}

/** The linear score w . x_i + b of row i. */
function margin(design: Design, row: number, params: Float64Array): number {
  const { x, d } = design;
  let z = params[d]!;
  const base = row * d;
  for (let j = 0; j < d; j++) z += params[j]! * x[base + j]!;
  return z;
}

/**
 * Objective and gradient at params (d weights, then the bias), divided by c * sum(weights):
 * sum_i w_i logloss_i / W + ||w||^2 / (2 c W).
 */
function evaluate(design: Design, labels: ArrayLike<number>, weights: ArrayLike<number>, c: number, params: Float64Array, grad: Float64Array): number {
  const { x, n, d } = design;
  grad.fill(0);
  let total = 0;
  for (let i = 0; i < n; i++) total += weights[i]!;
  const norm = 1 / Math.max(total, 1e-12);
  const ridge = 1 / (c * Math.max(total, 1e-12));
  let loss = 0;
  for (let i = 0; i < n; i++) {
    const z = margin(design, i, params);
    const y = labels[i]! > 0 ? 1 : 0;
    const s = weights[i]! * norm;
    // logloss = softplus(z) - y z; its derivative is sigmoid(z) - y.
    loss += s * (softplus(z) - y * z);
    const g = s * (sigmoid(z) - y);
    const base = i * d;
    for (let j = 0; j < d; j++) grad[j]! += g * x[base + j]!;
    grad[d]! += g;
  }
  for (let j = 0; j < d; j++) {
    loss += 0.5 * ridge * params[j]! * params[j]!;
    grad[j]! += ridge * params[j]!;
  }
  return loss;
}

function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
}

function maxAbs(a: Float64Array): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]!));
  return m;
}

/** Corrections kept by L-BFGS. */
const HISTORY = 10;

/** Fits the model; deterministic for the same inputs. */
export function fitLogistic(design: Design, labels: ArrayLike<number>, options: LogisticOptions): LogisticModel {
  const { n, d } = design;
  if (labels.length !== n) throw new Error(`fitLogistic: ${labels.length} labels for ${n} rows`);
  const weights = options.sampleWeights ?? new Float64Array(n).fill(1);
  const tolerance = options.tolerance ?? 1e-5;
  const maxIterations = options.maxIterations ?? 1000;
  const size = d + 1;
  const params = new Float64Array(size);
  if (options.start) {
    params.set(options.start.weights.subarray(0, d));
    params[d] = options.start.bias;
  }
  const grad = new Float64Array(size);
  let f = evaluate(design, labels, weights, options.c, params, grad);
  const sHist: Float64Array[] = [];
  const yHist: Float64Array[] = [];
  const rhoHist: number[] = [];
  const direction = new Float64Array(size);
  const alpha = new Float64Array(HISTORY);
  const trial = new Float64Array(size);
  const trialGrad = new Float64Array(size);
  for (let iter = 0; iter < maxIterations && maxAbs(grad) > tolerance; iter++) {
    // Two-loop recursion: direction = -H grad.
    for (let i = 0; i < size; i++) direction[i] = -grad[i]!;
    for (let k = sHist.length - 1; k >= 0; k--) {
      alpha[k] = rhoHist[k]! * dot(sHist[k]!, direction);
      const yk = yHist[k]!;
      for (let i = 0; i < size; i++) direction[i]! -= alpha[k]! * yk[i]!;
    }
    if (sHist.length) {
      const last = sHist.length - 1;
      const gamma = dot(sHist[last]!, yHist[last]!) / dot(yHist[last]!, yHist[last]!);
      for (let i = 0; i < size; i++) direction[i]! *= gamma;
    }
    for (let k = 0; k < sHist.length; k++) {
      const beta = rhoHist[k]! * dot(yHist[k]!, direction);
      const sk = sHist[k]!;
      for (let i = 0; i < size; i++) direction[i]! += sk[i]! * (alpha[k]! - beta);
    }
    let slope = dot(grad, direction);
    if (!(slope < 0)) {
      // Not a descent direction (numerical trouble): restart from steepest descent.
      sHist.length = yHist.length = rhoHist.length = 0;
      for (let i = 0; i < size; i++) direction[i] = -grad[i]!;
      slope = dot(grad, direction);
    }
    // Backtracking line search (Armijo), first step 1 (scaled down on the very first iteration).
    let step = sHist.length === 0 ? Math.min(1, 1 / Math.max(1e-12, maxAbs(grad))) : 1;
    let fTrial = Infinity;
    for (let tries = 0; tries < 60; tries++) {
      for (let i = 0; i < size; i++) trial[i] = params[i]! + step * direction[i]!;
      fTrial = evaluate(design, labels, weights, options.c, trial, trialGrad);
      if (fTrial <= f + 1e-4 * step * slope) break;
      step *= 0.5;
    }
    if (!(fTrial <= f)) break; // no progress possible at this precision
    const s = new Float64Array(size);
    const y = new Float64Array(size);
    for (let i = 0; i < size; i++) {
      s[i] = trial[i]! - params[i]!;
      y[i] = trialGrad[i]! - grad[i]!;
    }
    const sy = dot(s, y);
    params.set(trial);
    grad.set(trialGrad);
    const improvement = f - fTrial;
    f = fTrial;
    if (sy > 1e-12) {
      sHist.push(s);
      yHist.push(y);
      rhoHist.push(1 / sy);
      if (sHist.length > HISTORY) {
        sHist.shift();
        yHist.shift();
        rhoHist.shift();
      }
    }
    if (improvement <= 1e-15 * Math.max(1, Math.abs(f))) break;
  }
  return { weights: params.slice(0, d), bias: params[d]! };
}

/** p(tag) for one standardised feature row. */
export function predictRow(model: LogisticModel, row: ArrayLike<number>, offset = 0): number {
  let z = model.bias;
  const w = model.weights;
  for (let j = 0; j < w.length; j++) z += w[j]! * row[offset + j]!;
  return sigmoid(z);
}
