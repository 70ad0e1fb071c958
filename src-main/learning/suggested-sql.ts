// When a learned tag's score is a suggestion, in SQL: shared by the learned-tag queries and the
// table's filter (kept free of imports, so the library's query module can use it without a cycle).

/**
 * Condition on `s` (learned_scores) joined with `lt` (learned_tags): the tag is learned and on, the
 * score reaches its threshold, and the track neither carries the tag already nor has a label on it.
 */
export const SUGGESTED = `lt.status = 'learned' AND lt.enabled = 1 AND s.score >= lt.threshold
  AND NOT EXISTS (SELECT 1 FROM labels x WHERE x.track_id = s.track_id AND x.tag = s.tag)
  AND NOT EXISTS (SELECT 1 FROM track_tags f WHERE f.track_id = s.track_id AND f.tag = s.tag)`;

/** The SQL condition (on tracks `t`) of the table's learned-tag filter, with its parameters. */
export function learnedFilter(tag: string, minScore: number): { sql: string; params: unknown[] } {
  return {
    sql: `t.id IN (SELECT s.track_id FROM learned_scores s JOIN learned_tags lt ON lt.tag = s.tag
                   WHERE s.tag = ? AND s.score >= ? AND ${SUGGESTED})`,
    params: [tag, minScore],
  };
}
