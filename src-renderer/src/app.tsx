// The window: top bar, filter bar, the library table and the track view side by side (the split
// between them can be dragged), and the dialogs.
import { useCallback, useEffect, useRef, useState } from 'react';
import type { AppInfo, MenuCommand } from '../../src-preload/contract';
import { call, onEvent } from './api/api';
import { ModelsDialog } from './features/clearml/models-dialog';
import { SettingsDialog } from './features/clearml/settings-dialog';
import { UploadDialog } from './features/clearml/upload-dialog';
import { WriteTagsDialog } from './features/file-tags/write-tags-dialog';
import { stepHistory } from './features/history-actions';
import { LearnedTagsDialog } from './features/learning/learned-tags-dialog';
import { Splitter } from './features/layout/splitter';
import { Filters } from './features/library/filters';
import { FoldersDialog } from './features/library/folders-dialog';
import { TrackTable } from './features/library/track-table';
import { DropImport } from './features/overlays/drop-import';
import { HelpOverlay } from './features/overlays/help-overlay';
import { Notices } from './features/overlays/notices';
import { reviewedAndNext, useShortcuts } from './features/shortcuts';
import { useTheme } from './features/theme';
import { chooseAndAddFolder } from './features/top-bar/add-folder';
import { TopBar } from './features/top-bar/top-bar';
import type { AddTagHandle } from './features/track/add-tag';
import { TrackView } from './features/track/track-view';
import { loadClearmlSettings } from './state/clearml-store';
import { loadLearnedTags, onLearningStatus } from './state/learning-store';
import { loadFolders, loadPage, refreshLoaded, setMode, useLibrary } from './state/library-store';
import { notify } from './state/notice-store';
import { closePanel, openPanel, togglePanel, usePanel } from './state/panel-store';
import { usePrefs } from './state/prefs-store';
import { setQueueStatus } from './state/queue-store';
import { loadReviewBasics, refreshDetailIfWanted } from './state/review-store';

/** Loads the first data and follows the core's events; menu commands run like their shortcuts. */
function useCoreConnection(setInfo: (info: AppInfo) => void, runCommand: (name: MenuCommand) => void): void {
  useEffect(() => {
    call('appInfo', undefined)
      .then(setInfo)
      .catch((e: Error) => notify('error', e.message));
    void loadFolders().catch(() => undefined);
    void loadReviewBasics().catch(() => undefined);
    void loadClearmlSettings().catch(() => undefined);
    void loadLearnedTags().catch(() => undefined);
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
      onEvent('learning', onLearningStatus),
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
  const panel = usePanel((s) => s.panel);
  const split = usePrefs((s) => s.splitFraction);
  const main = useRef<HTMLElement>(null);
  const addTag = useRef<AddTagHandle>(null);
  useTheme();
  const runCommand = useCallback((name: MenuCommand) => {
    if (name === 'add-folder') void chooseAndAddFolder();
    else if (name === 'undo') void stepHistory('undo');
    else if (name === 'redo') void stepHistory('redo');
    else if (name === 'help') togglePanel('help');
    else if (name === 'toggle-review-queue') setMode(useLibrary.getState().mode === 'review' ? 'library' : 'review');
    else if (name === 'search') document.getElementById('search')?.focus();
    else if (name === 'write-tags') openPanel('file-tags');
    else if (name === 'learned-tags') openPanel('learned-tags');
  }, []);
  useCoreConnection(setInfo, runCommand);
  const toggleHelp = useCallback(() => togglePanel('help'), []);
  useShortcuts(addTag, toggleHelp, closePanel);
  return (
    <div className="app">
      <TopBar info={info} />
      <Filters />
      <main className="split" ref={main} style={{ gridTemplateColumns: `minmax(360px, ${split}fr) 6px minmax(380px, ${1 - split}fr)` }}>
        <section className="library-pane" aria-label="Library">
          <TrackTable />
        </section>
        <Splitter container={main} />
        <TrackView addTagRef={addTag} onReviewedNext={() => void reviewedAndNext()} />
      </main>
      <DropImport />
      {panel === 'help' && <HelpOverlay onClose={closePanel} />}
      {panel === 'settings' && <SettingsDialog onClose={closePanel} />}
      {panel === 'upload' && <UploadDialog onClose={closePanel} />}
      {panel === 'models' && <ModelsDialog onClose={closePanel} />}
      {panel === 'folders' && <FoldersDialog onClose={closePanel} />}
      {panel === 'file-tags' && <WriteTagsDialog onClose={closePanel} />}
      {panel === 'learned-tags' && <LearnedTagsDialog onClose={closePanel} />}
      <Notices />
    </div>
  );
}
