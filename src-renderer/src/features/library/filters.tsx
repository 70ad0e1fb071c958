// Search, status and tag filters, and the switch between library order and the review queue.
import { useEffect, useState } from 'react';
import { TRACK_STATUSES, type TrackStatus } from '../../../../src-preload/contract-data';
import { modelMark } from '../track/tag-logic';
import { setMode, setQuery, useLibrary } from '../../state/library-store';
import { useReview } from '../../state/review-store';

/** The filter bar above the table. */
export function Filters(): React.JSX.Element {
  const query = useLibrary((s) => s.query);
  const mode = useLibrary((s) => s.mode);
  const vocabulary = useReview((s) => s.vocabulary);
  // Type-ahead search: every keystroke queries (tens of milliseconds at 100,000 tracks); answers
  // to older keystrokes are dropped by the store.
  const [search, setSearch] = useState(query.search);
  useEffect(() => setSearch(query.search), [query.search]);

  const toggleStatus = (status: TrackStatus): void => {
    const has = query.statuses.includes(status);
    setQuery({ statuses: has ? query.statuses.filter((s) => s !== status) : [...query.statuses, status] });
  };
  const tags = [...vocabulary.model.map((t) => t.tag), ...vocabulary.user];
  const modelOf = new Map(vocabulary.model.map((t) => [t.tag, t.model]));
  return (
    <div className="filters">
      <input
        id="search"
        type="search"
        placeholder="Search title, artist, album, path  (/)"
        aria-label="Search"
        value={search}
        onChange={(e) => {
          setSearch(e.target.value);
          setQuery({ search: e.target.value });
        }}
      />
      <div className="mode-switch" role="group" aria-label="Order">
        <button aria-pressed={mode === 'library'} onClick={() => setMode('library')}>
          Library
        </button>
        <button aria-pressed={mode === 'review'} onClick={() => setMode('review')} title="Unreviewed tracks, least certain first">
          Review queue
        </button>
      </div>
      {mode === 'library' && (
        <div className="status-filter" role="group" aria-label="Status filter">
          {TRACK_STATUSES.map((s) => (
            <button key={s} aria-pressed={query.statuses.includes(s)} onClick={() => toggleStatus(s)}>
              {s}
            </button>
          ))}
        </div>
      )}
      <select aria-label="Tag filter" value={query.tag ?? ''} onChange={(e) => setQuery({ tag: e.target.value || null })}>
        <option value="">any tag</option>
        {tags.map((t) => (
          <option key={t} value={t} data-model={modelOf.get(t)}>
            {modelOf.get(t) ? `${t} · ${modelMark(modelOf.get(t)!)}` : t}
          </option>
        ))}
      </select>
      {query.tag && (
        <label title="Minimum confidence for the tag filter">
          ≥{' '}
          <input
            type="range"
            min={0}
            max={0.9}
            step={0.05}
            value={query.minConfidence}
            onChange={(e) => setQuery({ minConfidence: Number(e.target.value) })}
            aria-label="Minimum confidence"
          />{' '}
          {query.minConfidence.toFixed(2)}
        </label>
      )}
    </div>
  );
}
