// Which dialog is open (one at a time): settings, upload, models, the library's folders, writing
// tags into files, the learned tags, the help.
import { create } from 'zustand';

export type Panel = 'settings' | 'upload' | 'models' | 'folders' | 'help' | 'file-tags' | 'learned-tags';

export const usePanel = create<{ readonly panel: Panel | null; readonly focusFolderField: boolean }>(() => ({ panel: null, focusFolderField: false }));

/** Opens a dialog (closing any other); the folders dialog can start in its path field. */
export function openPanel(panel: Panel, focusFolderField = false): void {
  usePanel.setState({ panel, focusFolderField });
}

/** Opens the dialog, or closes it when it is the one open. */
export function togglePanel(panel: Panel): void {
  usePanel.setState((s) => ({ panel: s.panel === panel ? null : panel, focusFolderField: false }));
}

/** Closes whatever dialog is open. */
export function closePanel(): void {
  usePanel.setState({ panel: null, focusFolderField: false });
}
