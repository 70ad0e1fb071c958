// What a track is finally tagged with: the model's tags at or above their thresholds, minus what the
// person rejected, plus what they accepted or added. Pure, so the row, the detail view, the search
// index and the upload all agree on one definition.
import type { LabelState, TagCategory } from '../../src-preload/contract';

/** The model's opinion on one tag of one track. */
export interface PredictedScore {
  readonly tag: string;
  readonly category: TagCategory;
  readonly score: number;
  readonly threshold: number;
  /** Key of the model that said it, when the track was tagged by a set of models. */
  readonly model?: string;
}

/** One final tag; `confidence` is 1 for tags the person confirmed, else the model's score. */
export interface FinalTag {
  readonly tag: string;
  /** The model's category; null for free-form tags the model does not know. */
  readonly category: TagCategory | null;
  /** The model's score; null when the model has no such tag. */
  readonly score: number | null;
  readonly confidence: number;
  readonly source: 'model' | 'accepted' | 'added';
  /** Key of the model the tag came from, when the prediction says (absent for free-form tags). */
  readonly model?: string;
}

/** True when the model's score reaches the tag's threshold. */
export function isAboveThreshold(p: Pick<PredictedScore, 'score' | 'threshold'>): boolean {
  return p.score >= p.threshold;
}

/** Final tags, most confident first (ties: higher model score, then name). */
export function finalTags(predicted: readonly PredictedScore[], labels: ReadonlyMap<string, LabelState>): FinalTag[] {
  const out: FinalTag[] = [];
  const byTag = new Map(predicted.map((p) => [p.tag, p]));
  for (const p of predicted) {
    const label = labels.get(p.tag);
    if (label === 'rejected') continue;
    if (label === 'accepted' || label === 'added') {
      out.push({ tag: p.tag, category: p.category, score: p.score, confidence: 1, source: label, ...(p.model ? { model: p.model } : {}) });
    } else if (isAboveThreshold(p)) {
      out.push({ tag: p.tag, category: p.category, score: p.score, confidence: p.score, source: 'model', ...(p.model ? { model: p.model } : {}) });
    }
  }
  for (const [tag, state] of labels) {
    if (byTag.has(tag) || state === 'rejected') continue;
    out.push({ tag, category: null, score: null, confidence: 1, source: state });
  }
  return out.sort(
    (a, b) => b.confidence - a.confidence || (b.score ?? -1) - (a.score ?? -1) || (a.tag < b.tag ? -1 : a.tag > b.tag ? 1 : 0),
  );
}

/** The names of the tags the model put above threshold (what a correction is measured against). */
export function predictedTagNames(predicted: readonly PredictedScore[]): string[] {
  return predicted.filter(isAboveThreshold).map((p) => p.tag);
}
