// Uploading corrections: how many are pending, what goes up (tags added and removed per track),
// progress, the resulting dataset version with its link, and the history of uploads.
import { useEffect, useRef, useState } from 'react';
import type { UploadPreview, UploadRecord, UploadState } from '../../../../src-preload/contract';
import { call, onEvent } from '../../api/api';
import { notify } from '../../state/notice-store';
import { Dialog } from '../overlays/dialog';

function bytes(n: number): string {
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(0)} kB`;
  return `${(n / 1024 / 1024).toFixed(1)} MB`;
}

/** The Upload dialog. */
export function UploadDialog({ onClose }: { onClose: () => void }): React.JSX.Element {
  const [preview, setPreview] = useState<UploadPreview | null>(null);
  const [state, setState] = useState<UploadState | null>(null);
  const [history, setHistory] = useState<readonly UploadRecord[]>([]);

  // Answers can arrive after newer news (browser mode sends requests and events on separate
  // connections): an answer older than the last upload event or the last reload is dropped.
  const events = useRef(0);
  const reloads = useRef(0);
  const reload = (): void => {
    const seq = ++reloads.current;
    const fresh = <T,>(set: (v: T) => void) => (v: T) => seq === reloads.current && set(v);
    call('uploadPreview', undefined).then(fresh(setPreview)).catch((e: Error) => notify('error', e.message));
    call('uploadHistory', undefined).then(fresh(setHistory)).catch(() => undefined);
  };
  const stateUnlessNewer = async (request: Promise<UploadState>): Promise<void> => {
    const seen = events.current;
    const answer = await request;
    if (events.current === seen) setState(answer);
  };
  useEffect(() => {
    reload();
    stateUnlessNewer(call('uploadState', undefined)).catch(() => undefined);
    return onEvent('upload', (s) => {
      events.current++;
      setState(s);
      if (!s.running) reload();
    });
  }, []);

  const start = async (): Promise<void> => {
    try {
      await stateUnlessNewer(call('startUpload', undefined));
    } catch (error) {
      notify('error', (error as Error).message);
    }
  };
  const running = state?.running ?? false;
  return (
    <Dialog label="Upload corrections" title="Upload corrections to ClearML" onClose={onClose}>
      {preview && (
        <>
          <p data-testid="pending-count">
            {preview.pending === 0 ? 'Nothing new to upload.' : `${preview.pending} corrected track(s) will go up as a new dataset version.`}
            {preview.newTags.length > 0 && ` New tags: ${preview.newTags.join(', ')}.`}
          </p>
          {preview.tracks.length > 0 && (
            <ul className="preview-list">
              {preview.tracks.map((t, i) => (
                <li key={i}>
                  <strong>{t.title}</strong>
                  {t.artist ? ` — ${t.artist}` : ''}{' '}
                  {t.added.map((a) => (
                    <span key={a} className="added-tag">
                      +{a}{' '}
                    </span>
                  ))}
                  {t.removed.map((r) => (
                    <span key={r} className="removed-tag">
                      {r}{' '}
                    </span>
                  ))}
                  {t.added.length === 0 && t.removed.length === 0 && <span className="track-sub">confirmed as predicted</span>}
                </li>
              ))}
            </ul>
          )}
        </>
      )}
      {state?.running && (
        <p role="status">
          {state.phase}
          {state.phase === 'uploading' && state.totalBytes > 0 && ` ${bytes(state.doneBytes)} of ${bytes(state.totalBytes)}`}…
        </p>
      )}
      {state?.last && !state.running && (
        <p className={state.last.ok ? 'ok-text' : 'error-text'} role="status">
          {state.last.message}
          {state.last.webUrl && (
            <>
              {' · '}
              <a href={state.last.webUrl} target="_blank" rel="noreferrer">
                open in ClearML
              </a>
            </>
          )}
        </p>
      )}
      <div className="review-bar">
        <button className="primary" onClick={() => void start()} disabled={running || !preview || preview.pending === 0}>
          {running ? 'Uploading…' : 'Upload'}
        </button>
        {running && (
          <button onClick={() => void stateUnlessNewer(call('cancelUpload', undefined)).catch((e: Error) => notify('error', e.message))} title="Stop; the next upload resumes where this one stopped">
            Cancel
          </button>
        )}
        <button onClick={onClose}>Close</button>
      </div>
      {history.length > 0 && (
        <>
          <h3>History</h3>
          <table className="simple">
            <thead>
              <tr>
                <th>Version</th>
                <th>Corrections</th>
                <th>Uploaded</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {history.map((h) => (
                <tr key={h.datasetId}>
                  <td>{h.version}</td>
                  <td>{h.corrections}</td>
                  <td>{new Date(h.uploadedAt).toLocaleString()}</td>
                  <td>{h.webUrl && <a href={h.webUrl} target="_blank" rel="noreferrer">open</a>}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </Dialog>
  );
}
