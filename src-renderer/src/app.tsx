// The window: top bar, library table, track view, and the overlays.
import { useCallback, useEffect, useRef, useState } from 'react';
import type { AppInfo, MenuCommand } from '../../src-preload/contract';
import { call, onEvent } from './api/api';
import { Filters } from './features/library/filters';
import { TrackTable } from './features/library/track-table';
import { DropImport } from './features/overlays/drop-import';
import { HelpOverlay } from './features/overlays/help-overlay';
import { Notices } from './features/overlays/notices';
import { reviewedAndNext, useShortcuts } from './features/shortcuts';
import { chooseAndAddFolder } from './features/top-bar/add-folder';
import { ModelsDialog } from './features/clearml/models-dialog';
import { SettingsDialog } from './features/clearml/settings-dialog';
import { UploadDialog } from './features/clearml/upload-dialog';
import { WriteTagsDialog } from './features/file-tags/write-tags-dialog';
import { TopBar, type Panel } from './features/top-bar/top-bar';
import type { AddTagHandle } from './features/track/add-tag';
import { TrackView } from './features/track/track-view';
import { loadFolders, loadPage, refreshLoaded, setMode, useLibrary } from './state/library-store';
import { notify } from './state/notice-store';
import { setQueueStatus } from './state/queue-store';
import { loadReviewBasics, redo, refreshDetailIfWanted, undo } from './state/review-store';

/** Loads the first data and follows the core's events; menu commands run like their shortcuts. */
function useCoreConnection(setInfo: (info: AppInfo) => void, runCommand: (name: MenuCommand) => void): void {
  useEffect(() => {
    call('appInfo', undefined)
      .then(setInfo)
      .catch((e: Error) => notify('error', e.message));
    void loadFolders().catch(() => undefined);
    void loadReviewBasics().catch(() => undefined);
    void call('queueStatus', undefined).then(setQueueStatus).catch(() => undefined);
    void loadPage(0);
    // Tags arrive in bursts while a batch runs: refresh at most ten times a second.
    let pending: number[] | 'all' = [];
    let timer: ReturnType<typeof setTimeout> | null = null;
    const flush = (): void => {
      timer = null;
      const ids = pending;
      pending = [];
      void refreshLoaded();
      void refreshDetailIfWanted(ids);
    };
    const unsubscribe = [
      onEvent('queue', setQueueStatus),
      onEvent('tracksChanged', ({ ids }) => {
        // No ids: any track may have changed (events were missed while disconnected).
        pending = ids.length === 0 || pending === 'all' ? 'all' : [...pending, ...ids];
        timer ??= setTimeout(flush, 100);
      }),
      onEvent('libraryChanged', ({ folders }) => {
        useLibrary.setState({ folders });
        timer ??= setTimeout(flush, 100);
      }),
      onEvent('notice', ({ level, message }) => notify(level, message)),
      onEvent('command', ({ name }) => runCommand(name)),
      onEvent('appInfo', (next) => {
        setInfo(next);
        void refreshLoaded();
      }),
    ];
    return () => unsubscribe.forEach((u) => u());
  }, [setInfo, runCommand]);
}

/** The root component. */
export function App(): React.JSX.Element {
  const [info, setInfo] = useState<AppInfo | null>(null);
  const [help, setHelp] = useState(false);
  const [panel, setPanel] = useState<Panel | null>(null);
  const addTag = useRef<AddTagHandle>(null);
  const runCommand = useCallback((name: MenuCommand) => {
    if (name === 'add-folder') void chooseAndAddFolder();
    else if (name === 'undo') void undo();
    else if (name === 'redo') void redo();
    else if (name === 'help') setHelp((h) => !h);
    else if (name === 'toggle-review-queue') setMode(useLibrary.getState().mode === 'review' ? 'library' : 'review');
    else if (name === 'search') document.getElementById('search')?.focus();
    else if (name === 'write-tags') setPanel('file-tags');
  }, []);
  useCoreConnection(setInfo, runCommand);
  const total = useLibrary((s) => s.total);
  const toggleHelp = useCallback(() => setHelp((h) => !h), []);
  const closeOverlays = useCallback(() => {
    setHelp(false);
    setPanel(null);
  }, []);
  useShortcuts(addTag, toggleHelp, closeOverlays);
  return (
    <div className="app">
      <TopBar info={info} onHelp={toggleHelp} onPanel={setPanel} />
      <main className="split">
        <section className="library-pane" aria-label="Library">
          <Filters />
          <div className="table-count" data-testid="track-count">
            {total} track{total === 1 ? '' : 's'}
          </div>
          <TrackTable />
        </section>
        <TrackView addTagRef={addTag} onReviewedNext={() => void reviewedAndNext()} />
      </main>
      <DropImport />
      {help && <HelpOverlay onClose={closeOverlays} />}
      {panel === 'settings' && <SettingsDialog onClose={closeOverlays} />}
      {panel === 'upload' && <UploadDialog onClose={closeOverlays} />}
      {panel === 'models' && <ModelsDialog onClose={closeOverlays} />}
      {panel === 'file-tags' && <WriteTagsDialog onClose={closeOverlays} />}
      <Notices />
    </div>
  );
}
