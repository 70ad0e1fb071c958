// A person's examples of each tag, read from their corrections: positives are tracks they added or
// accepted the tag on, and reviewed tracks that carry it; negatives are tracks they rejected it on,
// and reviewed tracks that do not carry it. A reviewed track's final tags are what the person
// confirmed (model tags they left standing included), so each reviewed track is an example of
// every tag, one way or the other.
import type { Db } from '../library/store';
import type { TagExamples } from './tag-learner';

/** Examples by tag, for every tag a person has judged. */
export function readExamples(db: Db): Map<string, TagExamples> {
  const labels = db.prepare('SELECT track_id, tag, state FROM labels').all() as Array<{ track_id: number; tag: string; state: string }>;
  const reviewed = db.prepare('SELECT id FROM tracks WHERE reviewed_at IS NOT NULL').pluck().all() as number[];
  const finalOfReviewed = db
    .prepare('SELECT tt.track_id, tt.tag FROM track_tags tt JOIN tracks t ON t.id = tt.track_id WHERE t.reviewed_at IS NOT NULL')
    .all() as Array<{ track_id: number; tag: string }>;

  const positive = new Map<string, Set<number>>();
  const negative = new Map<string, Set<number>>();
  const add = (m: Map<string, Set<number>>, tag: string, id: number): void => {
    let s = m.get(tag);
    if (!s) m.set(tag, (s = new Set()));
    s.add(id);
  };
  const finalByTrack = new Map<number, Set<string>>();
  for (const r of finalOfReviewed) {
    let s = finalByTrack.get(r.track_id);
    if (!s) finalByTrack.set(r.track_id, (s = new Set()));
    s.add(r.tag);
  }
  for (const l of labels) add(l.state === 'rejected' ? negative : positive, l.tag, l.track_id);
  const tags = new Set([...positive.keys(), ...negative.keys(), ...finalOfReviewed.map((r) => r.tag)]);
  for (const id of reviewed) {
    const final = finalByTrack.get(id) ?? new Set<string>();
    for (const tag of tags) add(final.has(tag) ? positive : negative, tag, id);
  }
  // Final tags already apply the labels, so the two sources never disagree about a track.
  const out = new Map<string, TagExamples>();
  const sorted = (set: Set<number> | undefined): number[] => [...(set ?? [])].sort((a, b) => a - b);
  for (const tag of [...tags].sort()) out.set(tag, { positives: sorted(positive.get(tag)), negatives: sorted(negative.get(tag)) });
  return out;
}
