// The library table's queries: filters (substring search, statuses, a tag with a minimum
// confidence), sorts and pages over the denormalised columns, so 100,000 tracks answer in
// milliseconds; and the rows themselves.
import type { ParsedArg, SelectionSummary, SortKey, TagCategory, TagScore, TrackPage, TrackRow, TrackStatus } from '../../src-preload/contract';
import { learnedFilter } from '../learning/suggested-sql';
import type { Db } from './store';

/** A table query without paging. */
export type TrackFilter = ParsedArg<'trackIds'>;

interface Where {
  readonly sql: string;
  readonly params: unknown[];
}

const likePattern = (token: string): string => `%${token.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/** The FTS5 (trigram) match expression for the tokens long enough to use the index. */
export function searchMatch(tokens: readonly string[]): string {
  return tokens.map((t) => `"${t.replace(/"/g, '""')}"`).join(' AND ');
}

/**
 * The tag names (of every model's vocabulary, and the tags people added) that contain a word,
 * whatever its case: a few hundred names to look through, so this costs well under a millisecond.
 */
export function tagNamesContaining(db: Db, word: string): string[] {
  const lower = word.toLocaleLowerCase('en');
  const names = db
    .prepare("SELECT j.value ->> '$.name' FROM models m, json_each(m.tags) j UNION SELECT tag FROM user_tags")
    .pluck()
    .all() as string[];
  return names.filter((n) => typeof n === 'string' && n.toLocaleLowerCase('en').includes(lower));
}

/** The review queue: tagged tracks nobody has reviewed, and reviewed ones a new model changed. */
// Tracks judged not music stay out of the review queue unless a person said they are music.
const TO_REVIEW = "status = 'tagged' AND (reviewed_at IS NULL OR needs_review = 1) AND NOT (music_verdict IS 'not music' AND music_override = 0)";

/**
 * Builds the WHERE clause of a filter. Only tracks with a file in the library are listed.
 * `tagsContaining` names the tags a search word is part of.
 */
export function whereOf(q: TrackFilter, tagsContaining: (word: string) => readonly string[] = () => []): Where {
  const conds = ['t.file_count > 0'];
  const params: unknown[] = [];
  if (q.toReview) conds.push(TO_REVIEW.replace(/\b(status|reviewed_at|needs_review|music_verdict|music_override)\b/g, 't.$1'));
  if (q.statuses.length) {
    conds.push(`t.display_status IN (${q.statuses.map(() => '?').join(', ')})`);
    params.push(...q.statuses);
  }
  if (q.tag !== null) {
    conds.push('t.id IN (SELECT track_id FROM track_tags WHERE tag = ? AND confidence >= ?)');
    params.push(q.tag, q.minConfidence);
  }
  if (q.learnedTag) {
    const f = learnedFilter(q.learnedTag, q.minConfidence);
    conds.push(f.sql);
    params.push(...f.params);
  }
  // Every word must be found somewhere: in title, artist, album or a path (the search index), or
  // in the name of one of the track's final tags ("jazz" finds the tracks tagged jazz). Trigram
  // search finds substrings of 3+ characters through the index; the words that name no tag go in
  // one match. Shorter words cannot use it; they scan the FTS table's own content table
  // (track_search_content: id, c0 title, c1 artist, c2 album, c3 path), a plain table, about 4x
  // faster to scan than LIKE through the FTS module.
  const tokens = q.search.trim().split(/\s+/).filter(Boolean);
  const plain: string[] = [];
  for (const t of tokens) {
    const tags = tagsContaining(t);
    const long = [...t].length >= 3;
    if (long && tags.length === 0) {
      plain.push(t);
      continue;
    }
    const text = long
      ? 't.id IN (SELECT rowid FROM track_search WHERE track_search MATCH ?)'
      : `t.id IN (SELECT id FROM track_search_content WHERE c0 LIKE ? ESCAPE '\\' OR c1 LIKE ? ESCAPE '\\'
           OR c2 LIKE ? ESCAPE '\\' OR c3 LIKE ? ESCAPE '\\')`;
    const tagged = tags.length ? ` OR t.id IN (SELECT track_id FROM track_tags WHERE tag IN (${tags.map(() => '?').join(', ')}))` : '';
    conds.push(`(${text}${tagged})`);
    if (long) params.push(searchMatch([t]));
    else params.push(...Array<string>(4).fill(likePattern(t)));
    params.push(...tags);
  }
  if (plain.length) {
    conds.push('t.id IN (SELECT rowid FROM track_search WHERE track_search MATCH ?)');
    params.push(searchMatch(plain));
  }
  return { sql: conds.join(' AND '), params };
}

const SORT_EXPR: Readonly<Record<SortKey, string>> = {
  title: 'coalesce(t.title, t.name) COLLATE NOCASE',
  artist: 't.artist COLLATE NOCASE',
  album: 't.album COLLATE NOCASE',
  duration: 't.duration_sec',
  status: 't.display_status',
  added: 't.id',
  uncertainty: 't.uncertainty',
};

/** The ORDER BY clause: the key (missing values last either way), then id for a stable order. */
export function orderOf(sort: SortKey, descending: boolean): string {
  const dir = descending ? 'DESC' : 'ASC';
  if (sort === 'added') return `t.id ${dir}`;
  return `${SORT_EXPR[sort]} ${dir} NULLS LAST, t.id ${dir}`;
}

/** Every matching track id, in order. */
export function matchingIds(db: Db, q: TrackFilter): number[] {
  const w = whereOf(q, (word) => tagNamesContaining(db, word));
  return db
    .prepare(`SELECT t.id FROM tracks t WHERE ${w.sql} ORDER BY ${orderOf(q.sort, q.descending)}`)
    .pluck()
    .all(...w.params) as number[];
}

/**
 * One page of the table. Without a search or tag filter the total is an index count and the page
 * an index walk; with one, the filter runs once for both (all matching ids, then a slice), since
 * running it twice (count, then page) doubled the cost of a search.
 */
export function queryPage(db: Db, q: ParsedArg<'queryTracks'>): TrackPage {
  if (q.search.trim() !== '' || q.tag !== null || q.learnedTag) {
    const all = matchingIds(db, q);
    return { total: all.length, offset: q.offset, rows: trackRows(db, all.slice(q.offset, q.offset + q.limit)) };
  }
  const w = whereOf(q, (word) => tagNamesContaining(db, word));
  const total = db.prepare(`SELECT count(*) FROM tracks t WHERE ${w.sql}`).pluck().get(...w.params) as number;
  const ids = db
    .prepare(`SELECT t.id FROM tracks t WHERE ${w.sql} ORDER BY ${orderOf(q.sort, q.descending)} LIMIT ? OFFSET ?`)
    .pluck()
    .all(...w.params, q.limit, q.offset) as number[];
  return { total, offset: q.offset, rows: trackRows(db, ids) };
}

/**
 * Track ids for review, most uncertain first: tagged tracks nobody has reviewed, and reviewed
 * tracks a new model changed (needs_review).
 */
export function reviewOrder(db: Db, limit: number): number[] {
  return db
    .prepare(`SELECT id FROM tracks WHERE file_count > 0 AND ${TO_REVIEW} ORDER BY uncertainty ASC NULLS LAST, id ASC LIMIT ?`)
    .pluck()
    .all(limit) as number[];
}

/** What a set of tracks shares: counts of each final tag, of reviewed and of edited tracks. */
export function selectionSummary(db: Db, ids: readonly number[]): SelectionSummary {
  // One JSON parameter whatever the number of ids (SQLite limits bound parameters).
  const list = JSON.stringify(ids);
  const counts = db
    .prepare(
      `SELECT count(*) AS tracks, coalesce(sum(t.display_status = 'reviewed'), 0) AS reviewed,
              coalesce(sum(EXISTS (SELECT 1 FROM labels l WHERE l.track_id = t.id)), 0) AS edited
       FROM tracks t WHERE t.file_count > 0 AND t.id IN (SELECT value FROM json_each(?))`,
    )
    .get(list) as { tracks: number; reviewed: number; edited: number };
  const tags = db
    .prepare(
      `SELECT g.tag, g.category, count(*) AS count FROM track_tags g JOIN tracks t ON t.id = g.track_id
       WHERE t.file_count > 0 AND g.track_id IN (SELECT value FROM json_each(?))
       GROUP BY g.tag ORDER BY count DESC, g.tag COLLATE NOCASE`,
    )
    .all(list) as Array<{ tag: string; category: TagCategory | null; count: number }>;
  return { ...counts, tags };
}

interface RowData {
  id: number;
  title: string;
  artist: string | null;
  album: string | null;
  duration_sec: number | null;
  display_status: TrackStatus;
  error: string | null;
  needs_review: number;
  path: string | null;
  edited: number;
  uploaded: number;
}

const CHUNK = 500;

/** The model id of a store key ("<id>@<version>"). */
export function modelIdOf(key: string): string {
  const at = key.lastIndexOf('@');
  return at > 0 ? key.slice(0, at) : key;
}

/** The rows of these tracks, in the order given (unknown ids are left out). */
export function trackRows(db: Db, ids: readonly number[]): TrackRow[] {
  const data = new Map<number, RowData>();
  const tags = new Map<number, { genres: TagScore[]; descriptors: TagScore[]; others: TagScore[] }>();
  for (let i = 0; i < ids.length; i += CHUNK) {
    const chunk = ids.slice(i, i + CHUNK);
    const marks = chunk.map(() => '?').join(', ');
    const rows = db
      .prepare(
        `SELECT t.id, coalesce(t.title, t.name) AS title, t.artist, t.album, t.duration_sec, t.display_status, t.error,
                t.needs_review, (SELECT path FROM files f WHERE f.track_id = t.id ORDER BY f.id LIMIT 1) AS path,
                EXISTS (SELECT 1 FROM labels l WHERE l.track_id = t.id) AS edited,
                t.label_rev > 0 AND EXISTS (
                  SELECT 1 FROM upload_version_keys k JOIN upload_versions v ON v.dataset_id = k.dataset_id AND v.state = 'finalized'
                  WHERE k.track_hash = t.hash AND k.label_rev >= t.label_rev) AS uploaded
         FROM tracks t WHERE t.id IN (${marks})`,
      )
      .all(...chunk) as RowData[];
    for (const r of rows) data.set(r.id, r);
    const tagRows = db
      .prepare(
        `SELECT track_id, tag, category, confidence, model_key FROM track_tags WHERE track_id IN (${marks})
         ORDER BY track_id, position`,
      )
      .all(...chunk) as Array<{ track_id: number; tag: string; category: string | null; confidence: number; model_key: string | null }>;
    for (const t of tagRows) {
      let entry = tags.get(t.track_id);
      if (!entry) tags.set(t.track_id, (entry = { genres: [], descriptors: [], others: [] }));
      const list = t.category === 'genre' ? entry.genres : t.category === 'descriptor' ? entry.descriptors : entry.others;
      list.push(t.model_key ? { tag: t.tag, score: t.confidence, model: modelIdOf(t.model_key) } : { tag: t.tag, score: t.confidence });
    }
  }
  return ids.flatMap((id) => {
    const r = data.get(id);
    if (!r) return [];
    const t = tags.get(id);
    return [
      {
        id: r.id,
        title: r.title,
        artist: r.artist,
        album: r.album,
        durationSec: r.duration_sec,
        status: r.display_status,
        error: r.error,
        genres: t?.genres ?? [],
        descriptors: t?.descriptors ?? [],
        others: t?.others ?? [],
        needsReview: r.needs_review === 1,
        path: r.path,
        edited: r.edited === 1,
        uploaded: r.uploaded === 1,
      },
    ];
  });
}
