// The contract's handlers for writing tags into music files: the file-tag service answers, and the
// library makes labels from a file's own values (so they join the undo history like any label).
import type { TagWriteScope } from '../../src-preload/contract';
import type { FileTagRequestName, FileTagService } from '../file-tags/file-tag-service';
import type { Library } from '../library/library';
import type { Handlers } from './dispatch';

/** Handlers for the file-tag requests. */
export function fileTagHandlers(library: Library, fileTags: FileTagService): Pick<Handlers, FileTagRequestName> {
  return {
    fileTagSettings: () => fileTags.settings(),
    saveFileTagSettings: (a) => fileTags.saveSettings(a),
    trackFileTags: (a) => fileTags.trackFileTags(a.id),
    previewTagWrite: (a) => fileTags.preview(a.scope),
    startTagWrite: (a) => fileTags.start(a.scope, describeScope(a.scope, library)),
    pauseTagWrite: () => fileTags.pause(),
    resumeTagWrite: () => fileTags.resume(),
    cancelTagWrite: () => fileTags.cancel(),
    tagWriteStatus: () => fileTags.status(),
    tagWriteHistory: () => fileTags.history(),
    undoTagWrite: (a) => fileTags.undo(a),
    labelFromFile: (a) => {
      for (const { trackId, values } of fileTags.fileValuesForLabels(a.trackIds, a.values)) {
        for (const v of values) library.label({ trackIds: [trackId], action: 'add', tag: v.tag });
        if (values.length) fileTags.recordFileLabels(trackId, values);
      }
      return { tracks: a.trackIds.map((id) => library.getTrack({ id }).row), history: library.history() };
    },
  };
}

function describeScope(scope: TagWriteScope, library: Library): string {
  if (scope.kind === 'library') return 'The whole library';
  if (scope.kind === 'folder') return library.listFolders().find((f) => f.id === scope.folderId)?.path ?? `Folder ${scope.folderId}`;
  return scope.trackIds.length === 1 ? 'One track' : `${scope.trackIds.length} tracks`;
}
