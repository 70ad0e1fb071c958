// "More like this": the tracks nearest the shown one by how they sound (cosine similarity of their
// embeddings), with scores. Pick some or all and add or take out a tag on them in one undoable step.
import { useEffect, useState } from 'react';
import { create } from 'zustand';
import type { SimilarTracks } from '../../../../src-preload/contract';
import { call } from '../../api/api';
import { notify } from '../../state/notice-store';
import { labelTracks, useReview } from '../../state/review-store';
import { formatClock } from '../format';
import './learning.css';

const LIMIT = 50;

/** Whether the section is open; it stays open from track to track. */
const useSimilarOpen = create<{ readonly open: boolean }>(() => ({ open: false }));

/** Opens or closes "More like this" (the m key). */
export function toggleSimilar(): void {
  useSimilarOpen.setState((s) => ({ open: !s.open }));
}

function useSimilar(trackId: number, open: boolean, revision: number): SimilarTracks | null {
  const [similar, setSimilar] = useState<SimilarTracks | null>(null);
  useEffect(() => {
    if (!open) return;
    let live = true;
    setSimilar(null);
    call('similarTracks', { trackId, limit: LIMIT })
      .then((s) => live && setSimilar(s))
      .catch((e: Error) => notify('error', e.message));
    return () => {
      live = false;
    };
  }, [trackId, open, revision]);
  return similar;
}

/** Adds or takes out a tag on the picked tracks. */
function TagPicked({ picked, onDone }: { picked: readonly number[]; onDone: () => void }): React.JSX.Element {
  const vocabulary = useReview((s) => s.vocabulary);
  const [tag, setTag] = useState('');
  const act = async (action: 'add' | 'reject'): Promise<void> => {
    const name = tag.trim();
    if (!name || picked.length === 0) return;
    if (await labelTracks([...picked], action, name)) {
      notify('info', `${action === 'add' ? 'Added' : 'Took out'} "${name}" on ${picked.length} track${picked.length === 1 ? '' : 's'} (Ctrl+Z undoes)`);
      onDone();
    }
  };
  return (
    <form
      className="similar-tag-form"
      onSubmit={(e) => {
        e.preventDefault();
        void act('add');
      }}
    >
      <input value={tag} onChange={(e) => setTag(e.target.value)} placeholder="Tag" aria-label="Tag for the picked tracks" list="similar-vocabulary" />
      <datalist id="similar-vocabulary">
        {[...vocabulary.user, ...vocabulary.model.map((t) => t.tag)].map((t) => (
          <option key={t} value={t} />
        ))}
      </datalist>
      <button type="submit" className="primary" disabled={!tag.trim() || picked.length === 0}>
        Add to {picked.length}
      </button>
      <button type="button" disabled={!tag.trim() || picked.length === 0} onClick={() => void act('reject')} title="Take the tag out of the picked tracks">
        Take out
      </button>
    </form>
  );
}

/** The "More like this" section of the track view. */
export function SimilarSection({ trackId }: { trackId: number }): React.JSX.Element {
  const open = useSimilarOpen((s) => s.open);
  const [revision, setRevision] = useState(0);
  const [picked, setPicked] = useState<ReadonlySet<number>>(new Set());
  const similar = useSimilar(trackId, open, revision);
  useEffect(() => setPicked(new Set()), [trackId]);
  const results = similar?.results ?? [];
  const all = results.length > 0 && results.every((r) => picked.has(r.row.id));
  const flip = (id: number): void =>
    setPicked((p) => {
      const next = new Set(p);
      if (!next.delete(id)) next.add(id);
      return next;
    });
  return (
    <section className="similar-section" aria-label="More like this">
      <button className="section-toggle" aria-expanded={open} onClick={toggleSimilar} title="The tracks that sound nearest this one (m)" data-testid="more-like-this">
        {open ? '▾' : '▸'} More like this
      </button>
      {open && !similar && <p className="track-sub">Finding the nearest tracks…</p>}
      {open && similar && results.length === 0 && (
        <p className="track-sub">{similar.space ? 'No other track has been tagged yet.' : 'This track has no embedding yet: it is found once tagged.'}</p>
      )}
      {open && results.length > 0 && (
        <>
          <div className="similar-head">
            <label>
              <input type="checkbox" checked={all} onChange={() => setPicked(all ? new Set() : new Set(results.map((r) => r.row.id)))} aria-label="Pick all" /> all{' '}
              {results.length}
            </label>
            <span className="track-sub">by sound ({similar!.space})</span>
          </div>
          <ol className="similar-list">
            {results.map(({ row, score }) => (
              <li key={row.id} data-track-id={row.id}>
                <label>
                  <input type="checkbox" checked={picked.has(row.id)} onChange={() => flip(row.id)} aria-label={`Pick ${row.title}`} />
                  <span className="similar-score" title="Cosine similarity of the two tracks' embeddings">
                    {score.toFixed(2)}
                  </span>
                  <span className="similar-title">
                    {row.title}
                    {row.artist && <span className="track-sub"> · {row.artist}</span>}
                  </span>
                  <span className="track-sub">{formatClock(row.durationSec)}</span>
                </label>
              </li>
            ))}
          </ol>
          <TagPicked picked={[...picked]} onDone={() => setRevision((r) => r + 1)} />
        </>
      )}
    </section>
  );
}
