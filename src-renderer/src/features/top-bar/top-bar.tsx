// The bar across the top, one row at any width from 1024 px: product, active model, the library's
// folders, tagging progress, undo/redo, learned tags, writing tags into files, upload, settings, theme and help.
import type { AppInfo } from '../../../../src-preload/contract';
import { useLibrary } from '../../state/library-store';
import { openPanel, togglePanel } from '../../state/panel-store';
import { useReview } from '../../state/review-store';
import { FileTagsButton } from '../file-tags/file-tags-button';
import { stepHistory } from '../history-actions';
import { LearnedButton } from '../learning/learned-button';
import { modelMark } from '../track/tag-logic';
import { chooseAndAddFolder } from './add-folder';
import { QueueBar } from './queue-bar';
import { ThemeSwitch } from './theme-switch';
import { UploadButton } from './upload-button';

/** The top bar. */
export function TopBar({ info }: { info: AppInfo | null }): React.JSX.Element {
  const history = useReview((s) => s.history);
  const folders = useLibrary((s) => s.folders.length);
  return (
    <header className="top-bar">
      <span className="brand">eno</span>
      {info && (
        <button
          className="model-badge"
          data-testid="model-badge"
          title={`${info.providerNote ?? 'Models'}: ${info.modelSet.models.map((m) => `${m.name} ${m.version}`).join(' and ')} on ${info.provider.toUpperCase()}`}
          onClick={() => openPanel('models')}
        >
          {info.model.name} {info.model.version}
          {info.modelSet.models.slice(1).map((m) => ` + ${modelMark(m.id)}`)} · {info.provider.toUpperCase()}
        </button>
      )}
      <button onClick={() => openPanel('folders')} title={`The library's folders (${folders}): track counts, rescan, remove`}>
        Folders
      </button>
      <button className="primary icon" onClick={() => void chooseAndAddFolder()} aria-label="Add folder" title="Add a music folder">
        +
      </button>
      <span className="spacer" />
      <QueueBar />
      <button className="icon" onClick={() => void stepHistory('undo')} disabled={!history.canUndo} aria-label="Undo" title={history.undoLabel ? `Undo: ${history.undoLabel} (Ctrl+Z)` : 'Nothing to undo'}>
        ↶
      </button>
      <button className="icon" onClick={() => void stepHistory('redo')} disabled={!history.canRedo} aria-label="Redo" title={history.redoLabel ? `Redo: ${history.redoLabel} (Ctrl+Shift+Z)` : 'Nothing to redo'}>
        ↷
      </button>
      <LearnedButton onOpen={() => openPanel('learned-tags')} />
      <FileTagsButton onOpen={() => openPanel('file-tags')} />
      <UploadButton />
      <button onClick={() => openPanel('settings')} title="ClearML settings">
        Settings
      </button>
      <ThemeSwitch />
      <button className="icon" onClick={() => togglePanel('help')} title="Keyboard shortcuts (?)" aria-label="Keyboard shortcuts">
        ?
      </button>
    </header>
  );
}
