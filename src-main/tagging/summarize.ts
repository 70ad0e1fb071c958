// From a taggram to what a person reads: track scores (mean over patches), the tags above their
// thresholds grouped by category, and the overall top K.
import { TAG_CATEGORIES, type ModelTag, type TagCategory } from '../inference/manifest';

export interface ScoredTag {
  readonly name: string;
  readonly category: TagCategory;
  readonly score: number;
  readonly threshold: number;
}

export type TagsByCategory = Readonly<Record<TagCategory, readonly ScoredTag[]>>;

/** Mean activation of each tag over the patches of a row-major patches x tags taggram. */
export function trackScores(taggram: Float32Array, nTags: number): Float64Array {
  const patches = taggram.length / nTags;
  const scores = new Float64Array(nTags);
  if (patches === 0) return scores;
  for (let p = 0; p < patches; p++) {
    for (let t = 0; t < nTags; t++) scores[t]! += taggram[p * nTags + t]!;
  }
  for (let t = 0; t < nTags; t++) scores[t]! /= patches;
  return scores;
}

function scored(tags: readonly ModelTag[], scores: ArrayLike<number>): ScoredTag[] {
  return tags.map((tag, i) => ({ name: tag.name, category: tag.category, threshold: tag.threshold, score: scores[i]! }));
}

/** Tags at or above their threshold, best first, per category (every category present). */
export function tagsAboveThreshold(tags: readonly ModelTag[], scores: ArrayLike<number>): TagsByCategory {
  const out = Object.fromEntries(TAG_CATEGORIES.map((c) => [c, [] as ScoredTag[]])) as Record<TagCategory, ScoredTag[]>;
  for (const tag of scored(tags, scores)) {
    if (tag.score >= tag.threshold) out[tag.category].push(tag);
  }
  for (const c of TAG_CATEGORIES) out[c].sort((a, b) => b.score - a.score);
  return out;
}

/** The K highest-scoring tags whatever their category or threshold. */
export function topTags(tags: readonly ModelTag[], scores: ArrayLike<number>, k: number): ScoredTag[] {
  return scored(tags, scores)
    .sort((a, b) => b.score - a.score)
    .slice(0, Math.max(0, k));
}
