// Models: the installed ones (the active one marked) and the published ones in the ClearML
// registry, with download progress and "Use" to switch and re-tag the library.
import { useEffect, useState } from 'react';
import type { LocalModelRow, ModelTransfer, RegistryModelRow } from '../../../../src-preload/contract';
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
    return onEvent('modelTransfer', setTransfer);
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
  return (
    <Dialog label="Models" title="Models" onClose={onClose}>
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
                  <button disabled={busy} onClick={() => void act(() => call('useModel', { key: m.key }))}>
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
