// Which tags a track shows, in which state, and what pressing a tag's number does. Pure functions
// over the contract's TrackDetail, shared by the track view and the keyboard shortcuts.
import type { LabelState, TagCategory, TrackDetail } from '../../../../src-preload/contract';

export interface ShownTag {
  readonly tag: string;
  readonly category: TagCategory | 'added';
  /** Model score, or null for a tag the model does not know. */
  readonly score: number | null;
  readonly threshold: number | null;
  /** Above the model's threshold. */
  readonly predicted: boolean;
  readonly label: LabelState | null;
  /** In the track's final tag set (what an upload would send). */
  readonly final: boolean;
  /** Id of the model the tag came from; null for tags a person added. */
  readonly model: string | null;
}

/** A short mark for a model id: its shortest dash-separated part ("msd", "mn04"). */
export function modelMark(model: string): string {
  return model.split('-').reduce((best, part) => (part.length > 0 && part.length < best.length ? part : best), model);
}

export type TagGroupName = 'genres' | 'descriptors' | 'other';

/** All tags worth showing: predicted or labelled ones, plus the best few below threshold in each group. */
export function shownTags(detail: TrackDetail, belowThresholdPerGroup = 2): ShownTag[] {
  const labels = new Map(detail.labels.map((l) => [l.tag, l.state]));
  const final = new Set(detail.finalTags);
  const out: ShownTag[] = [];
  const known = new Set<string>();
  const below = new Map<TagGroupName, number>();
  for (const t of detail.prediction?.tags ?? []) {
    known.add(t.tag);
    const predicted = t.score >= t.threshold;
    const label = labels.get(t.tag) ?? null;
    if (!predicted && !label) {
      const group = groupOf({ category: t.category } as ShownTag);
      const n = below.get(group) ?? 0;
      if (n >= belowThresholdPerGroup) continue;
      below.set(group, n + 1);
    }
    out.push({ tag: t.tag, category: t.category, score: t.score, threshold: t.threshold, predicted, label, final: final.has(t.tag), model: t.model ?? null });
  }
  for (const l of detail.labels) {
    if (known.has(l.tag)) continue;
    out.push({ tag: l.tag, category: 'added', score: null, threshold: null, predicted: false, label: l.state, final: final.has(l.tag), model: null });
  }
  return out;
}

/** The group a tag is listed under. */
export function groupOf(tag: ShownTag): TagGroupName {
  if (tag.category === 'genre') return 'genres';
  if (tag.category === 'descriptor') return 'descriptors';
  return 'other';
}

/** The numbered tags (keys 1-9): the shown tags in display order. */
export function numberedTags(tags: readonly ShownTag[]): ShownTag[] {
  const order: TagGroupName[] = ['genres', 'descriptors', 'other'];
  return order.flatMap((g) => tags.filter((t) => groupOf(t) === g)).slice(0, 9);
}

/** What toggling a tag does: take it out of the final set, or put it in. */
export function toggleAction(tag: ShownTag): 'accept' | 'reject' | 'add' | 'clear' {
  if (tag.final) return tag.predicted ? 'reject' : 'clear';
  if (tag.predicted) return 'clear'; // predicted but rejected: back to the prediction
  return 'add';
}
