// With several tracks selected: what they share. Tags on all of them and tags on some (with how
// many), each with buttons that apply to every selected track, as the keys do.
import { useEffect, useState } from 'react';
import type { SelectionSummary as Summary } from '../../../../src-preload/contract';
import { call } from '../../api/api';
import { useLibrary } from '../../state/library-store';
import { labelTracks } from '../../state/review-store';
import { actionTargets, useSelection } from '../../state/selection-store';
import { plural } from '../format';

/** Fetches the summary of the selection, again after every change to the table's rows. */
function useSummary(selected: ReadonlySet<number>): Summary | null {
  const [summary, setSummary] = useState<Summary | null>(null);
  const pages = useLibrary((s) => s.pages);
  useEffect(() => {
    if (selected.size < 2) return setSummary(null);
    let stale = false;
    const timer = setTimeout(() => {
      call('selectionSummary', { trackIds: [...selected].slice(0, 100_000) })
        .then((s) => !stale && setSummary(s))
        .catch(() => !stale && setSummary(null));
    }, 120);
    return () => {
      stale = true;
      clearTimeout(timer);
    };
  }, [selected, pages]);
  return summary;
}

/** The shared-tags panel; nothing when fewer than two tracks are selected. */
export function SelectionSummary(): React.JSX.Element | null {
  const selected = useSelection((s) => s.selected);
  const summary = useSummary(selected);
  if (selected.size < 2) return null;
  if (!summary) return <section className="selection-summary" aria-label="Selection">{plural(selected.size, 'track')} selected…</section>;
  const all = summary.tags.filter((t) => t.count === summary.tracks);
  const some = summary.tags.filter((t) => t.count < summary.tracks);
  const apply = (action: 'add' | 'reject', tag: string) => () => void labelTracks(actionTargets(), action, tag);
  return (
    <section className="selection-summary" aria-label="Selection" data-testid="selection-summary">
      <div className="selection-head">
        <strong>{plural(summary.tracks, 'track')} selected</strong>
        <span className="track-sub">
          {' '}
          · {summary.reviewed} reviewed · {summary.edited} edited · actions and keys apply to all of them
        </span>
      </div>
      <div className="shared-row">
        <span className="shared-label">On all</span>
        {all.length === 0 ? <span className="track-sub">no tag</span> : all.map((t) => (
          <span key={t.tag} className="shared-chip" data-tag={t.tag} data-count={t.count}>
            {t.tag}
            <button onClick={apply('reject', t.tag)} title={`Take "${t.tag}" off all ${summary.tracks} tracks`} aria-label={`Take ${t.tag} off all`}>
              ✗
            </button>
          </span>
        ))}
      </div>
      <div className="shared-row">
        <span className="shared-label">On some</span>
        {some.length === 0 ? <span className="track-sub">no tag</span> : some.map((t) => (
          <span key={t.tag} className="shared-chip partial" data-tag={t.tag} data-count={t.count}>
            {t.tag} <span className="count">{t.count}/{summary.tracks}</span>
            <button onClick={apply('add', t.tag)} title={`Put "${t.tag}" on all ${summary.tracks} tracks`} aria-label={`Put ${t.tag} on all`}>
              +
            </button>
            <button onClick={apply('reject', t.tag)} title={`Take "${t.tag}" off the ${t.count} tracks that have it`} aria-label={`Take ${t.tag} off all`}>
              ✗
            </button>
          </span>
        ))}
      </div>
    </section>
  );
}
