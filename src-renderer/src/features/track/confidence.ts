// Confidence on one scale for every tag. musicnn's scores are low and each tag has its own
// threshold (0.2 for most genres, 0.15 for descriptors), so raw scores do not compare well by eye:
// bars, the taggram and the confidence filter put each tag's threshold at the middle instead.

/**
 * Where a score sits on a scale whose middle is the tag's threshold: 0..0.5 from no score up to
 * the threshold, 0.5..1 from the threshold up to a score of 1.
 */
export function relativeConfidence(score: number, threshold: number): number {
  const s = Math.min(1, Math.max(0, score));
  const t = Math.min(0.999, Math.max(0.001, threshold));
  return s < t ? (0.5 * s) / t : 0.5 + (0.5 * (s - t)) / (1 - t);
}

/** The score at a point of that scale (the inverse of relativeConfidence). */
export function scoreAt(relative: number, threshold: number): number {
  const r = Math.min(1, Math.max(0, relative));
  const t = Math.min(0.999, Math.max(0.001, threshold));
  return r < 0.5 ? (2 * r * t) : t + (r - 0.5) * 2 * (1 - t);
}

/** A score next to its threshold, with as many decimals as it takes to see which is larger. */
export interface ScoreComparison {
  readonly score: string;
  readonly threshold: string;
  /** ≥: the model gives the tag; <: it does not. */
  readonly relation: '≥' | '<';
}

/**
 * Shows what decides whether a tag is predicted: the score against the threshold. Two decimals
 * unless they make the two look equal (0.1996 and 0.20), then more until they differ.
 */
export function compareToThreshold(score: number, threshold: number): ScoreComparison {
  const relation = score >= threshold ? '≥' : '<';
  let digits = 2;
  while (digits < 6 && score !== threshold && score.toFixed(digits) === threshold.toFixed(digits)) digits++;
  return { score: score.toFixed(digits), threshold: threshold.toFixed(digits), relation };
}

/** How the confidence filter reads at a point of the scale. */
export function describeMinimum(relative: number, threshold: number | null): string {
  if (relative <= 0) return 'any score';
  if (threshold === null) return `≥ ${relative.toFixed(2)}`;
  const score = scoreAt(relative, threshold);
  if (Math.abs(relative - 0.5) < 1e-9) return `at its threshold (≥ ${threshold.toFixed(2)})`;
  return `≥ ${score.toFixed(2)} (${relative < 0.5 ? 'below' : 'above'} its ${threshold.toFixed(2)} threshold)`;
}
