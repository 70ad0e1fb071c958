// The review queue's order: tracks whose scores sit nearest their thresholds are the ones the model
// is least sure about, so a person's minute there teaches the most. Tags already labelled are
// settled and no longer count.
import type { PredictedScore } from './final-tags';

/** min over unlabelled tags of |score - threshold|; null when nothing is left to doubt. */
export function uncertainty(predicted: readonly PredictedScore[], labelled: ReadonlySet<string>): number | null {
  let best: number | null = null;
  for (const p of predicted) {
    if (labelled.has(p.tag)) continue;
    const distance = Math.abs(p.score - p.threshold);
    if (best === null || distance < best) best = distance;
  }
  return best;
}

/** Orders tracks for review: most uncertain first, tracks with nothing to doubt last, then by id. */
export function compareForReview(
  a: { readonly id: number; readonly uncertainty: number | null },
  b: { readonly id: number; readonly uncertainty: number | null },
): number {
  if (a.uncertainty === null || b.uncertainty === null) {
    if (a.uncertainty !== b.uncertainty) return a.uncertainty === null ? 1 : -1;
  } else if (a.uncertainty !== b.uncertainty) {
    return a.uncertainty - b.uncertainty;
  }
  return a.id - b.id;
}
