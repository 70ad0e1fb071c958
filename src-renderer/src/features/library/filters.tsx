// The bar above the table, one row from 1024 px: search (titles, artists, albums, files and tags),
// library order or the review queue, status filters, a tag filter with a minimum confidence on the
// same scale as the tag bars, and the number of tracks shown. Nothing in it appears or disappears
// with the mode, so the table below never moves.
import { useEffect, useState } from 'react';
import { TRACK_STATUSES, type TrackStatus } from '../../../../src-preload/contract-data';
import { modelMark } from '../track/tag-logic';
import { setMode, setQuery, useLibrary } from '../../state/library-store';
import { useReview } from '../../state/review-store';
import { plural } from '../format';
import { describeMinimum, relativeConfidence, scoreAt } from '../track/confidence';

/** The threshold of a tag of the active model, or null for a tag people added. */
function useThreshold(tag: string | null): number | null {
  const vocabulary = useReview((s) => s.vocabulary);
  if (tag === null) return null;
  return vocabulary.model.find((t) => t.tag === tag)?.threshold ?? null;
}

/** The tag filter and its minimum confidence (relative to the tag's threshold). */
function TagFilter(): React.JSX.Element {
  const query = useLibrary((s) => s.query);
  const vocabulary = useReview((s) => s.vocabulary);
  const threshold = useThreshold(query.tag);
  const relative = threshold === null ? query.minConfidence : relativeConfidence(query.minConfidence, threshold);
  const toScore = (rel: number, t: number | null): number => (rel <= 0 ? 0 : t === null ? rel : scoreAt(rel, t));
  const tags = [...vocabulary.model.map((t) => t.tag), ...vocabulary.user];
  const modelOf = new Map(vocabulary.model.map((t) => [t.tag, t.model]));
  const described = query.tag ? describeMinimum(relative, threshold) : 'choose a tag first';
  return (
    <>
      <select
        aria-label="Tag filter"
        value={query.tag ?? ''}
        onChange={(e) => {
          const tag = e.target.value || null;
          const nextThreshold = tag === null ? null : (vocabulary.model.find((t) => t.tag === tag)?.threshold ?? null);
          // The minimum keeps its place on the scale when the tag changes.
          setQuery({ tag, minConfidence: tag === null ? 0 : toScore(relative, nextThreshold) });
        }}
      >
        <option value="">any tag</option>
        {tags.map((t) => {
          const model = modelOf.get(t);
          return (
            <option key={t} value={t} data-model={model}>
              {model ? `${t} · ${modelMark(model)}` : t}
            </option>
          );
        })}
      </select>
      <label className="confidence-filter" title={`Minimum confidence: ${described}. The middle of the scale is the tag's threshold, as on the tag bars.`}>
        <span aria-hidden="true">≥</span>
        <input
          type="range"
          min={0}
          max={1}
          step={0.05}
          value={relative}
          disabled={!query.tag}
          onChange={(e) => setQuery({ minConfidence: toScore(Number(e.target.value), threshold) })}
          aria-label="Minimum confidence"
          aria-valuetext={described}
        />
        <span className="confidence-text">{query.tag ? (relative <= 0 ? 'any' : Math.abs(relative - 0.5) < 1e-9 ? 'threshold' : `${scoreAt(relative, threshold ?? 0.5).toFixed(2)}`) : ''}</span>
      </label>
    </>
  );
}

/** The filter bar above the table. */
export function Filters(): React.JSX.Element {
  const query = useLibrary((s) => s.query);
  const mode = useLibrary((s) => s.mode);
  const total = useLibrary((s) => s.total);
  // Type-ahead search: every keystroke queries (tens of milliseconds at 100,000 tracks); answers
  // to older keystrokes are dropped by the store.
  const [search, setSearch] = useState(query.search);
  useEffect(() => setSearch(query.search), [query.search]);

  const toggleStatus = (status: TrackStatus): void => {
    const has = query.statuses.includes(status);
    setQuery({ statuses: has ? query.statuses.filter((s) => s !== status) : [...query.statuses, status] });
  };
  const review = mode === 'review';
  return (
    <div className="filters">
      <input
        id="search"
        type="search"
        placeholder="Search titles, artists, albums, files, tags  (/)"
        aria-label="Search"
        value={search}
        onChange={(e) => {
          setSearch(e.target.value);
          setQuery({ search: e.target.value });
        }}
      />
      <div className="mode-switch" role="group" aria-label="Order">
        <button aria-pressed={!review} onClick={() => setMode('library')}>
          Library
        </button>
        <button aria-pressed={review} onClick={() => setMode('review')} title="Unreviewed tracks, least certain first (q)">
          Review queue
        </button>
      </div>
      <div className="status-filter" role="group" aria-label="Status filter" title={review ? 'The review queue holds tagged tracks waiting for review' : 'Show only tracks with these statuses'}>
        {TRACK_STATUSES.map((s) => (
          <button key={s} aria-pressed={!review && query.statuses.includes(s)} disabled={review} onClick={() => toggleStatus(s)}>
            {s}
          </button>
        ))}
      </div>
      <TagFilter />
      <span className="spacer" />
      <span className="table-count" data-testid="track-count">
        {plural(total, 'track')}
      </span>
    </div>
  );
}
