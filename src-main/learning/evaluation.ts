// How good a learned tag is: stratified folds for cross-validation, the area under the ROC curve,
// and the threshold chosen for precision first (a suggestion must be worth looking at).

/** Splits examples into k folds, each with its share of positives and negatives; deterministic. */
export function stratifiedFolds(labels: ArrayLike<number>, k: number): number[] {
  const fold = new Array<number>(labels.length).fill(0);
  let pos = 0;
  let neg = 0;
  // Interleaving by order of appearance spreads each class evenly over the folds.
  for (let i = 0; i < labels.length; i++) fold[i] = labels[i]! > 0 ? pos++ % k : neg++ % k;
  return fold;
}

/** Area under the ROC curve (ties count half); NaN when one class is missing. */
export function rocAuc(scores: ArrayLike<number>, labels: ArrayLike<number>): number {
  const order = Array.from({ length: scores.length }, (_, i) => i).sort((a, b) => scores[a]! - scores[b]!);
  let rankSumPos = 0;
  let positives = 0;
  for (let i = 0; i < order.length; ) {
    let j = i;
    while (j + 1 < order.length && scores[order[j + 1]!] === scores[order[i]!]) j++;
    const averageRank = (i + j) / 2 + 1;
    for (let k = i; k <= j; k++) {
      if (labels[order[k]!]! > 0) {
        rankSumPos += averageRank;
        positives++;
      }
    }
    i = j + 1;
  }
  const negatives = order.length - positives;
  if (positives === 0 || negatives === 0) return NaN;
  return (rankSumPos - (positives * (positives + 1)) / 2) / (positives * negatives);
}

/** A threshold with the precision and recall it gives on the scores it was chosen on. */
export interface ChosenThreshold {
  readonly threshold: number;
  readonly precision: number;
  readonly recall: number;
}

/** Precision wanted of a learned tag's suggestions before recall counts. */
export const TARGET_PRECISION = 0.8;

/** A threshold must find at least this share of the positives: a perfect top one alone is luck. */
export const MIN_RECALL = 1 / 3;

/**
 * Chooses the threshold on held-out scores: the lowest one whose precision reaches `target` (the
 * most suggestions that are still mostly right); when none does, the one with the best precision
 * (and then the best recall). Only thresholds that find at least MIN_RECALL of the positives
 * count. Thresholds sit halfway between neighbouring scores, so the held-out positive a threshold
 * keeps is not on its edge.
 */
export function chooseThreshold(scores: ArrayLike<number>, labels: ArrayLike<number>, target = TARGET_PRECISION): ChosenThreshold {
  const order = Array.from({ length: scores.length }, (_, i) => i).sort((a, b) => scores[b]! - scores[a]!);
  let positives = 0;
  for (let i = 0; i < labels.length; i++) positives += labels[i]! > 0 ? 1 : 0;
  let best: ChosenThreshold = { threshold: 1, precision: 0, recall: 0 };
  let bestReaching: ChosenThreshold | null = null;
  let tp = 0;
  for (let i = 0; i < order.length; i++) {
    if (labels[order[i]!]! > 0) tp++;
    const here = scores[order[i]!]!;
    const next = i + 1 < order.length ? scores[order[i + 1]!]! : 0;
    if (next === here) continue; // a threshold cannot split tied scores
    const precision = tp / (i + 1);
    const recall = positives ? tp / positives : 0;
    if (recall < MIN_RECALL) continue;
    const threshold = (here + next) / 2;
    const candidate = { threshold, precision, recall };
    if (precision >= target && (!bestReaching || recall > bestReaching.recall)) bestReaching = candidate;
    if (precision > best.precision || (precision === best.precision && recall > best.recall)) best = candidate;
  }
  return bestReaching ?? best;
}

/** Precision and recall of scores at a threshold. */
export function precisionRecallAt(scores: ArrayLike<number>, labels: ArrayLike<number>, threshold: number): { precision: number; recall: number } {
  let tp = 0;
  let fp = 0;
  let fn = 0;
  for (let i = 0; i < scores.length; i++) {
    const predicted = scores[i]! >= threshold;
    const actual = labels[i]! > 0;
    if (predicted && actual) tp++;
    else if (predicted) fp++;
    else if (actual) fn++;
  }
  return { precision: tp + fp ? tp / (tp + fp) : 0, recall: tp + fn ? tp / (tp + fn) : 0 };
}
