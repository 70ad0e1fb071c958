// The bar across the top: product, active model, adding music, tagging progress, undo/redo, help.
import type { AppInfo } from '../../../../src-preload/contract';
import { redo, undo, useReview } from '../../state/review-store';
import { FileTagsButton } from '../file-tags/file-tags-button';
import { AddFolder } from './add-folder';
import { QueueBar } from './queue-bar';

export type Panel = 'settings' | 'upload' | 'models' | 'file-tags';

/** The top bar. */
export function TopBar({ info, onHelp, onPanel }: { info: AppInfo | null; onHelp: () => void; onPanel: (panel: Panel) => void }): React.JSX.Element {
  const history = useReview((s) => s.history);
  return (
    <header className="top-bar">
      <span className="brand">eno</span>
      {info && (
        <button className="model-badge" data-testid="model-badge" title={info.providerNote ?? 'Models'} onClick={() => onPanel('models')}>
          {info.model.name} {info.model.version} · {info.provider.toUpperCase()}
        </button>
      )}
      <AddFolder />
      <span className="spacer" />
      <QueueBar />
      <button onClick={() => void undo()} disabled={!history.canUndo} title={history.undoLabel ? `Undo ${history.undoLabel} (Ctrl+Z)` : 'Nothing to undo'}>
        Undo
      </button>
      <button onClick={() => void redo()} disabled={!history.canRedo} title={history.redoLabel ? `Redo ${history.redoLabel} (Ctrl+Shift+Z)` : 'Nothing to redo'}>
        Redo
      </button>
      <FileTagsButton onOpen={() => onPanel('file-tags')} />
      <button onClick={() => onPanel('upload')} title="Upload corrections to ClearML">
        Upload
      </button>
      <button onClick={() => onPanel('settings')} title="ClearML settings">
        Settings
      </button>
      <button onClick={onHelp} title="Keyboard shortcuts (?)" aria-label="Keyboard shortcuts">
        ?
      </button>
    </header>
  );
}
