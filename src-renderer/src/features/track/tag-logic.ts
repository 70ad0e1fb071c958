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
  /** Suggested by a classifier learned on this device from the person's own tags. */
  readonly learned?: boolean;
  /** For a learned suggestion: the tag's cross-validated precision at its threshold. */
  readonly precision?: number;
}

/** A short mark for a model id: its shortest dash-separated part ("msd", "mn04"). */
export function modelMark(model: string): string {
  return model.split('-').reduce((best, part) => (part.length > 0 && part.length < best.length ? part : best), model);
}

/** A chip's look: what the model or the person said about the tag (the legend names each). */
export type ChipStyle = 'predicted' | 'accepted' | 'added' | 'rejected' | 'learned' | 'below';

/** How a tag's chip is drawn. */
export function chipStyle(tag: ShownTag): ChipStyle {
  if (tag.label === 'accepted' || tag.label === 'added' || tag.label === 'rejected') return tag.label;
  if (tag.learned) return 'learned';
  return tag.predicted ? 'predicted' : 'below';
}

export type TagGroupName = 'genres' | 'descriptors' | 'other';

/**
 * A learned tag's suggestion as a chip, in the model's category for the tag when it knows it. It
 * names no model: the suggestion comes from the person's own examples.
 */
function learnedTag(l: TrackDetail['learned'][number], category: ShownTag['category']): ShownTag {
  return { tag: l.tag, category, score: l.score, threshold: l.threshold, predicted: false, label: null, final: false, model: null, learned: true, precision: l.precision };
}

/**
 * All tags worth showing: predicted or labelled ones, learned suggestions, plus the best few below
 * threshold in each group. A learned suggestion of a tag the model knows but does not give takes
 * that tag's place (the learned score is the one worth reading); suggestions never carry a label.
 */
export function shownTags(detail: TrackDetail, belowThresholdPerGroup = 2): ShownTag[] {
  const labels = new Map(detail.labels.map((l) => [l.tag, l.state]));
  const final = new Set(detail.finalTags);
  const learned = new Map(detail.learned.map((l) => [l.tag, l]));
  const out: ShownTag[] = [];
  const known = new Set<string>();
  const below = new Map<TagGroupName, number>();
  for (const t of detail.prediction?.tags ?? []) {
    known.add(t.tag);
    const predicted = t.score >= t.threshold;
    const label = labels.get(t.tag) ?? null;
    const suggestion = learned.get(t.tag);
    if (suggestion && !predicted && !label) {
      out.push(learnedTag(suggestion, t.category));
      continue;
    }
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
    known.add(l.tag);
    out.push({ tag: l.tag, category: 'added', score: null, threshold: null, predicted: false, label: l.state, final: final.has(l.tag), model: null });
  }
  for (const l of detail.learned) if (!known.has(l.tag) && !final.has(l.tag)) out.push(learnedTag(l, 'added'));
  return out;
}

/** The group a tag is listed under. */
export function groupOf(tag: ShownTag): TagGroupName {
  if (tag.category === 'genre') return 'genres';
  if (tag.category === 'descriptor') return 'descriptors';
  return 'other';
}

const GROUP_ORDER: readonly TagGroupName[] = ['genres', 'descriptors', 'other'];

/** The numbered tags (keys 1-9): the shown tags in display order. */
export function numberedTags(tags: readonly ShownTag[]): ShownTag[] {
  return GROUP_ORDER.flatMap((g) => tags.filter((t) => groupOf(t) === g)).slice(0, 9);
}

/**
 * Which tags a track shows, in which order, and the number key of each, as first laid out for
 * that track. While the track stays on screen its tags keep their places and numbers whatever is
 * toggled: a tag taken out stays (unconfirmed) and a tag put in takes no one's place.
 */
export interface TagLayout {
  readonly trackId: number;
  /** Tag names in the order first shown, then tags that came later. */
  readonly order: readonly string[];
  /** Tag name -> its number key (1-9). */
  readonly numbers: ReadonlyMap<string, number>;
}

/** A tag that is on screen but no longer in the detail's shown set (a cleared free-form tag). */
function tagFromDetail(detail: TrackDetail, name: string): ShownTag {
  const label = detail.labels.find((l) => l.tag === name)?.state ?? null;
  const final = detail.finalTags.includes(name);
  const p = detail.prediction?.tags.find((t) => t.tag === name);
  if (p) return { tag: name, category: p.category, score: p.score, threshold: p.threshold, predicted: p.score >= p.threshold, label, final, model: p.model ?? null };
  return { tag: name, category: 'added', score: null, threshold: null, predicted: false, label, final, model: null };
}

/**
 * The tags to show for a detail, keeping the layout the track had on screen (`previous`, when it
 * is the same track). Returns the tags in display order (grouped) and the layout to keep.
 */
export function layoutTags(detail: TrackDetail, previous: TagLayout | null): { tags: ShownTag[]; layout: TagLayout } {
  const fresh = shownTags(detail);
  let order: string[];
  const numbers = new Map<string, number>();
  if (previous && previous.trackId === detail.row.id) {
    order = [...previous.order];
    for (const [tag, n] of previous.numbers) numbers.set(tag, n);
    const known = new Set(order);
    // Only tags a person, the model or a refit put in come later; filler below threshold never pushes in.
    for (const t of fresh) if (!known.has(t.tag) && (t.label !== null || t.predicted || t.learned)) order.push(t.tag);
  } else {
    order = numberedTags(fresh).map((t) => t.tag);
    const numbered = new Set(order);
    order.push(...fresh.filter((t) => !numbered.has(t.tag)).map((t) => t.tag));
  }
  const freshByName = new Map(fresh.map((t) => [t.tag, t]));
  const tags = order.map((name) => freshByName.get(name) ?? tagFromDetail(detail, name));
  // Numbers go to tags in display order; kept tags keep theirs, new ones take the first free one.
  const display = GROUP_ORDER.flatMap((g) => tags.filter((t) => groupOf(t) === g));
  const used = new Set(numbers.values());
  for (const t of display) {
    if (numbers.has(t.tag)) continue;
    let n = 1;
    while (used.has(n)) n++;
    if (n > 9) break;
    numbers.set(t.tag, n);
    used.add(n);
  }
  return { tags: display, layout: { trackId: detail.row.id, order, numbers } };
}

/** What toggling a tag does: take it out of the final set, or put it in. */
export function toggleAction(tag: ShownTag): 'accept' | 'reject' | 'add' | 'clear' {
  if (tag.final) return tag.predicted ? 'reject' : 'clear';
  if (tag.predicted) return 'clear'; // predicted but rejected: back to the prediction
  return 'add';
}
