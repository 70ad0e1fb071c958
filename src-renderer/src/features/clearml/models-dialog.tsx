// Models: the model set (the active model, and the AudioSet model in or out), the installed
// models (the active one marked) and the published ones in the ClearML registry, with download
// progress and "Use" to switch and re-tag the library.
import { useEffect, useState } from 'react';
import type { AppInfo, LocalModelRow, ModelTransfer, RegistryModelRow, RequestArg } from '../../../../src-preload/contract';
import { call, onEvent } from '../../api/api';
import { notify } from '../../state/notice-store';
import { Dialog } from '../overlays/dialog';

/** The Models dialog. */
export function ModelsDialog({ onClose }: { onClose: () => void }): React.JSX.Element {
  const [local, setLocal] = useState<readonly LocalModelRow[]>([]);
  const [registry, setRegistry] = useState<readonly RegistryModelRow[] | null>(null);
  const [registryError, setRegistryError] = useState<string | null>(null);
  const [transfer, setTransfer] = useState<ModelTransfer | null>(null);
  const [busy, setBusy] = useState(false);
  const [info, setInfo] = useState<AppInfo | null>(null);
  /** The set being switched to, shown until the core has it. */
  const [switching, setSwitching] = useState<RequestArg<'useModel'> | null>(null);

  const reload = (): void => {
    call('listLocalModels', undefined).then(setLocal).catch((e: Error) => notify('error', e.message));
    call('listRegistryModels', undefined)
      .then((r) => {
        setRegistry(r);
        setRegistryError(null);
      })
      .catch((e: Error) => setRegistryError(e.message));
  };
  useEffect(() => {
    reload();
    call('appInfo', undefined).then(setInfo).catch((e: Error) => notify('error', e.message));
    const unsubscribe = [onEvent('modelTransfer', setTransfer), onEvent('appInfo', setInfo)];
    return () => unsubscribe.forEach((u) => u());
  }, []);

  const act = async (work: () => Promise<unknown>): Promise<void> => {
    setBusy(true);
    try {
      await work();
      reload();
    } catch (error) {
      notify('error', (error as Error).message);
    } finally {
      setBusy(false);
    }
  };
  const switchSet = (arg: RequestArg<'useModel'>): Promise<void> =>
    act(async () => {
      setSwitching(arg);
      try {
        setInfo(await call('useModel', arg));
      } finally {
        setSwitching(null);
      }
    });
  return (
    <Dialog label="Models" title="Models" onClose={onClose}>
      {info && <ModelSet info={info} busy={busy} switching={switching} onAudioset={(audioset) => void switchSet({ audioset })} />}
      <table className="simple">
        <thead>
          <tr>
            <th>Installed</th>
            <th>Version</th>
            <th>Source</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {local.map((m) => (
            <tr key={m.key}>
              <td>{m.name}</td>
              <td>{m.version}</td>
              <td>{m.source}</td>
              <td>
                {m.active ? (
                  <strong>active</strong>
                ) : (
                  <button disabled={busy} onClick={() => void switchSet({ key: m.key })}>
                    Use
                  </button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <h3>ClearML registry</h3>
      {registryError && <p className="error-text">{registryError}</p>}
      {registry && registry.length === 0 && <p className="track-sub">No published ONNX models tagged "eno".</p>}
      {registry && registry.length > 0 && (
        <table className="simple">
          <tbody>
            {registry.map((m) => (
              <tr key={m.id}>
                <td>{m.name}</td>
                <td>{m.version ?? '?'}</td>
                <td>{new Date(m.created).toLocaleDateString()}</td>
                <td>
                  {m.problem ? (
                    <span className="error-text">{m.problem}</span>
                  ) : m.installed ? (
                    'installed'
                  ) : (
                    <button disabled={busy} onClick={() => void act(() => call('pullModel', { modelId: m.id }))}>
                      Download
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {transfer && !transfer.done && (
        <p role="status">
          Downloading… {transfer.totalBytes > 0 ? `${Math.round((100 * transfer.doneBytes) / transfer.totalBytes)}%` : `${transfer.doneBytes} bytes`}
        </p>
      )}
      {transfer?.error && <p className="error-text">{transfer.error}</p>}
      <div className="review-bar">
        <button onClick={onClose}>Close</button>
      </div>
    </Dialog>
  );
}

/** The models that tag together: the active model (always in) and the AudioSet model, a checkbox. */
function ModelSet({
  info,
  busy,
  switching,
  onAudioset,
}: {
  info: AppInfo;
  busy: boolean;
  /** The set being switched to ("Use" or the checkbox), until the core has it. */
  switching: RequestArg<'useModel'> | null;
  onAudioset: (audioset: boolean) => void;
}): React.JSX.Element {
  const fixed = info.modelSet.fixedReason;
  const note = fixed ? `The set is fixed: ${fixed}.` : "Changing the set updates every track's tags at once from what is stored, and tags in the background what the new set still has to.";
  return (
    <section className="model-set" aria-labelledby="model-set-heading">
      <h3 id="model-set-heading">Model set</h3>
      <label className="model-set-row">
        <input type="checkbox" checked disabled />
        <span>
          {info.model.name} {info.model.version} <span className="track-sub">· the active model, always in the set</span>
        </span>
      </label>
      <label className="model-set-row">
        <input
          type="checkbox"
          data-testid="audioset-model"
          checked={switching?.audioset ?? info.modelSet.audioset}
          disabled={busy || fixed !== null}
          aria-describedby="model-set-note"
          onChange={(e) => onAudioset(e.target.checked)}
        />
        <span>AudioSet (EfficientAT mn04): 154 music classes, instruments, and music-or-not</span>
      </label>
      <p id="model-set-note" role="status" className={switching ? 'model-set-switching' : 'track-sub'}>
        {switching ? 'Switching models and queueing the library for re-tagging…' : note}
      </p>
    </section>
  );
}
