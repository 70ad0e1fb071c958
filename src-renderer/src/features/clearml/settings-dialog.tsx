// ClearML settings: the resolved servers and keys with where each value came from, app overrides,
// the dataset names, and "Test connection" naming what failed.
import { useEffect, useState } from 'react';
import type { ClearmlSettings, ConnectionCheck, SourcedValue } from '../../../../src-preload/contract';
import { call } from '../../api/api';
import { setClearmlSettings } from '../../state/clearml-store';
import { notify } from '../../state/notice-store';
import { Dialog } from '../overlays/dialog';

type Field = 'apiServer' | 'webServer' | 'filesServer' | 'accessKey';
const FIELDS: Array<[Field, string]> = [
  ['apiServer', 'API server'],
  ['webServer', 'Web server'],
  ['filesServer', 'Files server'],
  ['accessKey', 'Access key'],
];

function Source({ value }: { value: SourcedValue | { source: string } }): React.JSX.Element {
  return <span className="track-sub"> from {value.source}</span>;
}

/** The Settings dialog. */
export function SettingsDialog({ onClose }: { onClose: () => void }): React.JSX.Element {
  const [settings, setLocal] = useState<ClearmlSettings | null>(null);
  // What the dialog shows is what the top bar's Upload button goes by.
  const setSettings = (next: ClearmlSettings): void => {
    setLocal(next);
    setClearmlSettings(next);
  };
  const [draft, setDraft] = useState<Record<string, string>>({});
  const [secret, setSecret] = useState('');
  const [check, setCheck] = useState<ConnectionCheck | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    call('clearmlSettings', undefined)
      .then(setSettings)
      .catch((e: Error) => notify('error', e.message));
  }, []);

  const save = async (): Promise<void> => {
    setBusy(true);
    try {
      const patch: Record<string, string | boolean | null> = {};
      for (const [key] of FIELDS) if (key in draft) patch[key] = draft[key]!.trim() || null;
      if (secret) patch.secretKey = secret;
      if ('project' in draft) patch.project = draft.project!;
      if ('datasetName' in draft) patch.datasetName = draft.datasetName!;
      setSettings(await call('saveClearmlSettings', patch));
      setDraft({});
      setSecret('');
      notify('info', 'ClearML settings saved');
    } catch (error) {
      notify('error', (error as Error).message);
    } finally {
      setBusy(false);
    }
  };

  const test = async (): Promise<void> => {
    setBusy(true);
    setCheck(null);
    try {
      setCheck(await call('testClearmlConnection', undefined));
    } catch (error) {
      setCheck({ ok: false, code: 'failed', message: (error as Error).message });
    } finally {
      setBusy(false);
    }
  };

  return (
    <Dialog label="Settings" title="ClearML" onClose={onClose}>
      {!settings ? (
        <p>Loading…</p>
      ) : (
        <form
          className="settings-form"
          onSubmit={(e) => {
            e.preventDefault();
            void save();
          }}
        >
          {FIELDS.map(([key, label]) => (
            <label key={key}>
              <span>{label}</span>
              <input
                type="text"
                value={draft[key] ?? settings[key].value ?? ''}
                onChange={(e) => setDraft({ ...draft, [key]: e.target.value })}
                aria-label={label}
              />
              <Source value={settings[key]} />
            </label>
          ))}
          <label>
            <span>Secret key</span>
            <input
              type="password"
              autoComplete="off"
              placeholder={settings.secretKey.set ? '•••••••• (set)' : 'not set'}
              value={secret}
              onChange={(e) => setSecret(e.target.value)}
              aria-label="Secret key"
            />
            <Source value={settings.secretKey} />
          </label>
          {!settings.secretPersistent && (
            <p className="track-sub">In browser mode a secret typed here is kept in memory until eno stops; put it in ~/clearml.conf to keep it.</p>
          )}
          <label>
            <span>Project</span>
            <input type="text" value={draft.project ?? settings.project} onChange={(e) => setDraft({ ...draft, project: e.target.value })} aria-label="Project" />
          </label>
          <label>
            <span>Dataset</span>
            <input type="text" value={draft.datasetName ?? settings.datasetName} onChange={(e) => setDraft({ ...draft, datasetName: e.target.value })} aria-label="Dataset" />
          </label>
          <label>
            <span>Audio excerpts</span>
            <input
              type="checkbox"
              checked={settings.includeExcerpts}
              onChange={(e) =>
                void call('saveClearmlSettings', { includeExcerpts: e.target.checked })
                  .then(setSettings)
                  .catch((error: Error) => notify('error', `Not saved: ${error.message}`))
              }
            />
            <span className="track-sub">add a 30-second 16 kHz excerpt of each corrected track to uploads</span>
          </label>
          <p className="track-sub">
            Read from: {settings.configFiles.length > 0 ? settings.configFiles.join(', ') : 'no clearml.conf found'}
            {settings.warnings.map((w) => (
              <span key={w}>
                <br />
                {w}
              </span>
            ))}
          </p>
          <div className="review-bar">
            <button className="primary" type="submit" disabled={busy}>
              Save
            </button>
            <button type="button" onClick={() => void test()} disabled={busy}>
              Test connection
            </button>
            <button type="button" onClick={onClose}>
              Close
            </button>
          </div>
          {check && (
            <p className={check.ok ? 'ok-text' : 'error-text'} role="status">
              {check.message}
            </p>
          )}
        </form>
      )}
    </Dialog>
  );
}
