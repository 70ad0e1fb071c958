// Writing tags into many files: choose the tracks (the selection, a folder, the library), see what
// would change (how many files, which fields, a sample diff), write with progress, pause and
// cancel, undo a batch, and the settings.
import { useCallback, useEffect, useState } from 'react';
import type { TagWriteBatchRow, TagWritePreview } from '../../../../src-preload/contract';
import { call } from '../../api/api';
import { useLibrary } from '../../state/library-store';
import { notify } from '../../state/notice-store';
import { useSelection } from '../../state/selection-store';
import { Dialog } from '../overlays/dialog';
import { FileTagSettingsForm } from './file-tag-settings';
import { cancelWrite, pauseWrite, progressText, resumeWrite, startWrite, undoBatch, useFileTags, type WriteScope } from './file-tags-store';
import './file-tags.css';

type ScopeChoice = 'selection' | 'folder' | 'library';

const list = (values: readonly string[]): string => (values.length ? values.join('; ') : '—');

function Preview({ preview }: { preview: TagWritePreview }): React.JSX.Element {
  return (
    <>
      <p data-testid="write-preview">
        {preview.files} file(s): {preview.changing} would change (genre in {preview.fields.genre}, mood in {preview.fields.mood})
        {preview.nothingToWrite > 0 && `; ${preview.nothingToWrite} have no tags to write yet`}
        {preview.unsupported > 0 && `; ${preview.unsupported} are in formats eno does not write`}.
      </p>
      {preview.sample.length > 0 && (
        <ul className="diff-list" aria-label="Sample of the changes">
          {preview.sample.map((f) => (
            <li key={f.path}>
              <div className="path">{f.path}</div>
              {f.changes.map((c) => (
                <div key={c.field} className="file-change">
                  <strong>{c.field}</strong> <span className="file-before">{list(c.before)}</span>
                  <span className="arrow">→</span>
                  <span className="file-after">{list(c.after)}</span>
                </div>
              ))}
            </li>
          ))}
        </ul>
      )}
    </>
  );
}

/** The Write tags dialog. */
export function WriteTagsDialog({ onClose }: { onClose: () => void }): React.JSX.Element {
  const selected = useSelection((s) => s.selected);
  const folders = useLibrary((s) => s.folders);
  const status = useFileTags((s) => s.status);
  const revision = useFileTags((s) => s.revision);
  const [choice, setChoice] = useState<ScopeChoice>(selected.size > 0 ? 'selection' : 'library');
  const [folderId, setFolderId] = useState<number | null>(folders[0]?.id ?? null);
  const [preview, setPreview] = useState<TagWritePreview | null>(null);
  const [history, setHistory] = useState<readonly TagWriteBatchRow[]>([]);
  const [settingsRevision, setSettingsRevision] = useState(0);

  const scope: WriteScope | null =
    choice === 'selection' ? (selected.size ? { kind: 'tracks', trackIds: [...selected] } : null) : choice === 'folder' ? (folderId ? { kind: 'folder', folderId } : null) : { kind: 'library' };
  const scopeKey = JSON.stringify(scope);
  const running = status !== null && status.state !== 'idle';

  useEffect(() => {
    if (!scope) return setPreview(null);
    let current = true;
    call('previewTagWrite', { scope })
      .then((p) => current && setPreview(p))
      .catch((e: Error) => notify('error', e.message));
    return () => {
      current = false;
    };
    // scopeKey stands for scope; the preview is redone after settings change and after writes.
  }, [scopeKey, settingsRevision, running]);
  useEffect(() => {
    call('tagWriteHistory', undefined).then(setHistory).catch(() => undefined);
  }, [revision, running]);
  const onSaved = useCallback(() => setSettingsRevision((r) => r + 1), []);

  return (
    <Dialog label="Write tags into files" title="Write tags into the music files" onClose={onClose}>
      <div className="write-dialog">
        <section>
          <div className="scope-choice" role="radiogroup" aria-label="Which files">
            <label>
              <input type="radio" checked={choice === 'selection'} disabled={selected.size === 0} onChange={() => setChoice('selection')} /> Selected tracks ({selected.size})
            </label>
            <label>
              <input type="radio" checked={choice === 'folder'} disabled={folders.length === 0} onChange={() => setChoice('folder')} /> Folder{' '}
              <select aria-label="Folder" value={folderId ?? ''} onChange={(e) => setFolderId(Number(e.target.value))} disabled={choice !== 'folder'}>
                {folders.map((f) => (
                  <option key={f.id} value={f.id}>
                    {f.path}
                  </option>
                ))}
              </select>
            </label>
            <label>
              <input type="radio" checked={choice === 'library'} onChange={() => setChoice('library')} /> Whole library
            </label>
          </div>
          {preview && <Preview preview={preview} />}
          <div className="file-tags-actions">
            <button className="primary" disabled={!scope || running || !preview || preview.changing === 0} onClick={() => scope && void startWrite(scope)} data-testid="start-write">
              Write tags{preview ? ` into ${preview.changing} file(s)` : ''}
            </button>
            <span className="track-sub">Each file is written through a checked copy; every write can be undone.</span>
          </div>
        </section>
        {status && status.batchId !== null && (
          <section aria-label="Progress">
            <h3>{running ? (status.kind === 'undo' ? 'Undoing' : 'Writing') : 'Last write'}</h3>
            <div className="write-progress" role="status" data-testid="write-progress">
              <div className="progress">
                <span style={{ width: `${status.total ? (100 * status.done) / status.total : 0}%` }} />
              </div>
              <span>{status.description}: {progressText(status)}{status.state === 'paused' ? ' (paused)' : ''}</span>
              {status.state === 'running' && <button onClick={() => void pauseWrite()}>Pause</button>}
              {status.state === 'paused' && <button onClick={() => void resumeWrite()}>Resume</button>}
              {running && <button onClick={() => void cancelWrite()}>Cancel</button>}
            </div>
            {status.errors.length > 0 && (
              <ul className="diff-list" aria-label="Files not written">
                {status.errors.map((e) => (
                  <li key={e.path}>
                    <div className="path">{e.path}</div>
                    <div className="error-text">{e.message}</div>
                  </li>
                ))}
              </ul>
            )}
          </section>
        )}
        {history.length > 0 && (
          <section>
            <h3>Earlier writes</h3>
            <ul className="batch-history">
              {history.slice(0, 10).map((b) => (
                <li key={b.id}>
                  <span>
                    {new Date(b.createdAt).toLocaleString()} · {b.description} · {b.written} written{b.failed ? `, ${b.failed} failed` : ''}
                  </span>
                  {b.undoable > 0 && (
                    <button disabled={running} onClick={() => void undoBatch(b.id)}>
                      Undo ({b.undoable})
                    </button>
                  )}
                </li>
              ))}
            </ul>
          </section>
        )}
        <details>
          <summary>Settings</summary>
          <FileTagSettingsForm onSaved={onSaved} />
        </details>
      </div>
    </Dialog>
  );
}
