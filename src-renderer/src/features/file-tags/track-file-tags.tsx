// The track view's "Tags in the file" panel: the genre and mood values the file carries (each can
// become a label), what eno would write, how the last write went, and Write / Undo buttons.
import { useEffect, useState } from 'react';
import type { FieldChange, TrackFileTags } from '../../../../src-preload/contract';
import { call } from '../../api/api';
import { notify } from '../../state/notice-store';
import { refreshLoaded } from '../../state/library-store';
import { refreshDetailIfWanted, useReview } from '../../state/review-store';
import { actionTargets } from '../../state/selection-store';
import { startWrite, undoTracks, useFileTags } from './file-tags-store';
import './file-tags.css';

const list = (values: readonly string[]): string => (values.length ? values.join('; ') : '—');

function lastWriteText(w: NonNullable<TrackFileTags['lastWrite']>): { text: string; error: boolean } {
  const at = w.at ? ` ${new Date(w.at).toLocaleString()}` : '';
  switch (w.state) {
    case 'written':
      return { text: `Written into the file${at}`, error: false };
    case 'unchanged':
      return { text: `The file already had these tags${at}`, error: false };
    case 'undone':
      return { text: `Write undone${at}`, error: false };
    case 'pending':
      return { text: 'Waiting to be written…', error: false };
    case 'skipped':
      return { text: w.message ?? 'Not written', error: false };
    case 'failed':
      return { text: `Not written: ${w.message ?? 'unknown reason'}`, error: true };
  }
}

function Change({ change }: { change: FieldChange }): React.JSX.Element {
  return (
    <div className="file-change">
      <strong>{change.field}</strong> <span className="file-before">{list(change.before)}</span>
      <span className="arrow">→</span>
      <span className="file-after">{list(change.after)}</span>
    </div>
  );
}

/** The panel for one track. */
export function TrackFileTagsPanel({ trackId }: { trackId: number }): React.JSX.Element | null {
  const detail = useReview((s) => s.detail);
  const revision = useFileTags((s) => s.revision);
  const [info, setInfo] = useState<TrackFileTags | null>(null);
  useEffect(() => {
    let current = true;
    call('trackFileTags', { id: trackId })
      .then((t) => current && setInfo(t))
      .catch(() => current && setInfo(null));
    return () => {
      current = false;
    };
  }, [trackId, detail, revision]);
  if (!info || info.trackId !== trackId) return null;
  const finalTags = new Set((detail?.finalTags ?? []).map((t) => t.toLocaleLowerCase()));
  const labelFromFile = async (values?: string[]): Promise<void> => {
    try {
      const outcome = await call('labelFromFile', { trackIds: [trackId], values });
      useReview.setState({ history: outcome.history });
      useFileTags.setState((s) => ({ revision: s.revision + 1 }));
      await Promise.all([refreshDetailIfWanted([trackId]), refreshLoaded()]);
    } catch (error) {
      notify('error', (error as Error).message);
    }
  };
  const fileValues = [...info.inFile.genre, ...info.inFile.mood];
  const last = info.lastWrite && lastWriteText(info.lastWrite);
  return (
    <section className="file-tags-panel" aria-label="Tags in the file" data-testid="file-tags-panel">
      <h3>Tags in the file</h3>
      <dl className="file-fields">
        {(['genre', 'mood'] as const).map((field) => (
          <div key={field} style={{ display: 'contents' }}>
            <dt>{field}</dt>
            <dd data-testid={`file-${field}`}>
              {info.inFile[field].length === 0
                ? '—'
                : info.inFile[field].map((v) => (
                    <span key={v} className="file-value">
                      {v}
                      {!finalTags.has(v.toLocaleLowerCase()) && (
                        <button onClick={() => void labelFromFile([v])} title={`Make "${v}" a tag of this track (it counts as an example)`}>
                          + tag
                        </button>
                      )}
                    </span>
                  ))}
            </dd>
          </div>
        ))}
      </dl>
      {info.unsupported ? (
        <p className="track-sub">{info.unsupported}</p>
      ) : info.changes.length ? (
        <div data-testid="file-changes">
          <div className="track-sub">Writing would change:</div>
          {info.changes.map((c) => (
            <Change key={c.field} change={c} />
          ))}
        </div>
      ) : (
        <p className="track-sub">The file already carries these tags.</p>
      )}
      {last && (
        <p className={`write-state ${last.error ? 'error-text' : 'track-sub'}`} data-testid="last-write" role="status">
          {last.text}
        </p>
      )}
      <div className="file-tags-actions">
        <button onClick={() => void startWrite({ kind: 'tracks', trackIds: actionTargets() })} disabled={Boolean(info.unsupported)} title="Write this track's tags (or the selected tracks') into the files">
          Write tags
        </button>
        {info.lastWrite?.canUndo && <button onClick={() => void undoTracks(actionTargets())}>Undo write</button>}
        {fileValues.some((v) => !finalTags.has(v.toLocaleLowerCase())) && (
          <button onClick={() => void labelFromFile()} title="Make the file's genre and mood values tags of this track">
            Use the file's tags
          </button>
        )}
      </div>
    </section>
  );
}
