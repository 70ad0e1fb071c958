// Drag and drop of files and folders anywhere on the window. In the desktop app the core reads the
// dropped paths; in browser mode the files are uploaded to the machine running eno (folders are
// walked in the page). Dropped tracks are tagged before anything else.
import { useEffect, useState } from 'react';
import { getTransport } from '../../api/api';
import { refreshLoaded } from '../../state/library-store';
import { notify } from '../../state/notice-store';

const AUDIO = /\.(mp3|flac|ogg|oga|opus|m4a|m4b|aac|alac|wav|wave|aif|aiff|aifc|wma|ape|wv|mka|webm|mp4|m4v|mkv)$/i;

function readEntries(dir: FileSystemDirectoryEntry): Promise<FileSystemEntry[]> {
  const reader = dir.createReader();
  const all: FileSystemEntry[] = [];
  return new Promise((resolve, reject) => {
    const next = (): void =>
      reader.readEntries((batch) => {
        if (batch.length === 0) return resolve(all);
        all.push(...batch);
        next();
      }, reject);
    next();
  });
}

async function filesOf(entry: FileSystemEntry, out: File[]): Promise<void> {
  if (entry.name.startsWith('.')) return;
  if (entry.isFile) {
    if (!AUDIO.test(entry.name)) return;
    out.push(await new Promise<File>((resolve, reject) => (entry as FileSystemFileEntry).file(resolve, reject)));
  } else if (entry.isDirectory) {
    for (const child of await readEntries(entry as FileSystemDirectoryEntry)) await filesOf(child, out);
  }
}

/** The files to import from a drop: folders expanded in browser mode, passed whole in Electron. */
async function droppedFiles(data: DataTransfer): Promise<File[]> {
  if (getTransport().kind === 'electron') return [...data.files];
  const out: File[] = [];
  for (const item of [...data.items]) {
    if (item.kind !== 'file') continue;
    const entry = item.webkitGetAsEntry();
    if (entry) await filesOf(entry, out);
    else {
      // Files handed over without a file-system entry (pasted, or built by a script).
      const file = item.getAsFile();
      if (file && AUDIO.test(file.name)) out.push(file);
    }
  }
  return out;
}

/** Imports dropped files; returns a short summary for the user. */
export async function importDropped(files: File[]): Promise<string> {
  if (files.length === 0) return 'Nothing to add: drop audio files or folders';
  const result = await getTransport().importFiles(files);
  void refreshLoaded();
  const errors = result.errors.length > 0 ? `; ${result.errors.length} could not be added (${result.errors[0]!.path}: ${result.errors[0]!.reason})` : '';
  return `Added ${result.files} file(s), ${result.queued} queued for tagging first${errors}`;
}

/** Window-wide drop handling; renders the overlay while something is dragged over. */
export function DropImport(): React.JSX.Element | null {
  const [over, setOver] = useState(false);
  useEffect(() => {
    let depth = 0;
    const hasFiles = (e: DragEvent): boolean => [...(e.dataTransfer?.types ?? [])].includes('Files');
    const enter = (e: DragEvent): void => {
      if (!hasFiles(e)) return;
      depth++;
      setOver(true);
    };
    const leave = (): void => {
      depth = Math.max(0, depth - 1);
      if (depth === 0) setOver(false);
    };
    const overHandler = (e: DragEvent): void => {
      if (!hasFiles(e)) return;
      e.preventDefault();
      if (e.dataTransfer) e.dataTransfer.dropEffect = 'copy';
    };
    const drop = (e: DragEvent): void => {
      if (!e.dataTransfer || !hasFiles(e)) return;
      e.preventDefault();
      depth = 0;
      setOver(false);
      void droppedFiles(e.dataTransfer)
        .then(importDropped)
        .then((summary) => notify('info', summary))
        .catch((error: Error) => notify('error', `Could not add the dropped files: ${error.message}`));
    };
    window.addEventListener('dragenter', enter);
    window.addEventListener('dragleave', leave);
    window.addEventListener('dragover', overHandler);
    window.addEventListener('drop', drop);
    return () => {
      window.removeEventListener('dragenter', enter);
      window.removeEventListener('dragleave', leave);
      window.removeEventListener('dragover', overHandler);
      window.removeEventListener('drop', drop);
    };
  }, []);
  if (!over) return null;
  return (
    <div className="overlay drop-overlay" aria-live="polite">
      Drop music files or folders to add and tag them first
    </div>
  );
}
