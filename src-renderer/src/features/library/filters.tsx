// The bar above the table, one row from 1024 px: search (titles, artists, albums, files and tags),
// library order or the review queue, status filters, a tag filter with a minimum confidence on the
// same scale as the tag bars, and the number of tracks shown. Nothing in it appears or disappears
// with the mode, so the table below never moves.
import { useEffect, useState } from 'react';
import { TRACK_STATUSES, type TrackStatus } from '../../../../src-preload/contract-data';
import { modelMark } from '../track/tag-logic';
import { setMode, setQuery, useLibrary } from '../../state/library-store';
import { useLearning } from '../../state/learning-store';
import { useReview } from '../../state/review-store';
import { plural } from '../format';
import { describeMinimum, relativeConfidence, scoreAt } from '../track/confidence';

/** The threshold of the filtered tag (a tag of the active model set, or a learned tag), or null for a tag people added. */
function useThreshold(tag: string | null, learnedTag: string | null): number | null {
  const vocabulary = useReview((s) => s.vocabulary);
  const learned = useLearning((s) => s.view);
  if (learnedTag !== null) return learned?.tags.find((t) => t.tag === learnedTag)?.threshold ?? null;
  if (tag === null) return null;
  return vocabulary.model.find((t) => t.tag === tag)?.threshold ?? null;
}

const LEARNED_PREFIX = 'learned:';

/**
 * The tag filter and its minimum confidence (relative to the tag's threshold). It filters by a tag
 * the tracks carry, or by a learned tag's suggestions (the tracks it would add the tag to).
 */
function TagFilter(): React.JSX.Element {
  const query = useLibrary((s) => s.query);
  const vocabulary = useReview((s) => s.vocabulary);
  const learnedNames = useLearning((s) => s.learnedNames);
  const learnedView = useLearning((s) => s.view);
  const threshold = useThreshold(query.tag, query.learnedTag);
  const chosen = query.learnedTag !== null ? `${LEARNED_PREFIX}${query.learnedTag}` : (query.tag ?? '');
  const relative = threshold === null ? query.minConfidence : relativeConfidence(query.minConfidence, threshold);
  const toScore = (rel: number, t: number | null): number => (rel <= 0 ? 0 : t === null ? rel : scoreAt(rel, t));
  const tags = [...vocabulary.model.map((t) => t.tag), ...vocabulary.user];
  const modelOf = new Map(vocabulary.model.map((t) => [t.tag, t.model]));
  // A learned tag switched off since it was chosen stays listed while it is the filter.
  const learned = query.learnedTag !== null && !learnedNames.includes(query.learnedTag) ? [...learnedNames, query.learnedTag] : learnedNames;
  const filtering = chosen !== '';
  const described = filtering ? describeMinimum(relative, threshold) : 'choose a tag first';
  return (
    <>
      <select
        aria-label="Tag filter"
        value={chosen}
        onChange={(e) => {
          const value = e.target.value;
          const learnedTag = value.startsWith(LEARNED_PREFIX) ? value.slice(LEARNED_PREFIX.length) : null;
          const tag = learnedTag === null && value ? value : null;
          const nextThreshold =
            learnedTag !== null
              ? (learnedView?.tags.find((t) => t.tag === learnedTag)?.threshold ?? null)
              : tag === null
                ? null
                : (vocabulary.model.find((t) => t.tag === tag)?.threshold ?? null);
          // The minimum keeps its place on the scale when the tag changes.
          setQuery({ tag, learnedTag, minConfidence: tag === null && learnedTag === null ? 0 : toScore(relative, nextThreshold) });
        }}
      >
        <option value="">any tag</option>
        {learned.length > 0 && (
          <optgroup label="Suggested by a learned tag">
            {learned.map((t) => (
              <option key={`learned-${t}`} value={`${LEARNED_PREFIX}${t}`}>
                {`${t} · learned`}
              </option>
            ))}
          </optgroup>
        )}
        <optgroup label="Tracks tagged">
          {tags.map((t) => {
            const model = modelOf.get(t);
            return (
              <option key={t} value={t} data-model={model}>
                {model ? `${t} · ${modelMark(model)}` : t}
              </option>
            );
          })}
        </optgroup>
      </select>
      <label className="confidence-filter" title={`Minimum confidence: ${described}. The middle of the scale is the tag's threshold, as on the tag bars.`}>
        <span aria-hidden="true">≥</span>
        <input
          type="range"
          min={0}
          max={1}
          step={0.05}
          value={relative}
          disabled={!filtering}
          onChange={(e) => setQuery({ minConfidence: toScore(Number(e.target.value), threshold) })}
          aria-label="Minimum confidence"
          aria-valuetext={described}
        />
        <span className="confidence-text">{filtering ? (relative <= 0 ? 'any' : Math.abs(relative - 0.5) < 1e-9 ? 'threshold' : `${scoreAt(relative, threshold ?? 0.5).toFixed(2)}`) : ''}</span>
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
