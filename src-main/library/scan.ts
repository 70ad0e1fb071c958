// Expands files and folders into the audio files under them: recursive, sorted, hidden entries
// skipped, symbolic-link loops and duplicate paths harmless, unreadable entries reported, not fatal.
import { promises as fs, type Dirent } from 'node:fs';
import { extname, join, resolve } from 'node:path';
import { fsReason } from '../fs-reason';

/**
 * File extensions (lower case, no dot) that folder scans pick up. Video containers (mp4, m4v, mkv)
 * are in for their audio track (concert recordings, music videos); one without audio gets that
 * reason on its row.
 */
export const AUDIO_EXTENSIONS: ReadonlySet<string> = new Set([
  'mp3', 'flac', 'ogg', 'oga', 'opus', 'm4a', 'm4b', 'aac', 'alac', 'wav', 'wave', 'aif', 'aiff', 'aifc',
  'wma', 'ape', 'wv', 'mka', 'webm', 'mp4', 'm4v', 'mkv',
]);

/** A found audio file, or something that could not be read. */
export type ScanEntry =
  | { readonly kind: 'file'; readonly path: string }
  | {
      readonly kind: 'error';
      readonly path: string;
      readonly reason: string;
      /**
       * What could not be read: an audio file (a broken link), a folder (so what is below it is
       * unknown, not gone), or a path given to scan that could not be looked at.
       */
      readonly target: 'file' | 'folder' | 'path';
    };

/** True when a file name has one of the audio extensions. */
export function isAudioFileName(name: string): boolean {
  return AUDIO_EXTENSIONS.has(extname(name).slice(1).toLowerCase());
}

interface ScanState {
  readonly seenDirs: Set<string>;
  readonly seenFiles: Set<string>;
}

async function realPathOrUndefined(path: string): Promise<string | undefined> {
  try {
    return await fs.realpath(path);
  } catch {
    return undefined;
  }
}

/** `knownReal`: the folder's real path when it is known (a plain folder inside a known one). */
async function* walkDir(dir: string, state: ScanState, knownReal?: string): AsyncGenerator<ScanEntry> {
  const real = knownReal ?? (await realPathOrUndefined(dir));
  if (!real) {
    yield { kind: 'error', path: dir, reason: 'cannot read folder: it no longer exists or a link is broken', target: 'folder' };
    return;
  }
  // A folder reached twice (through a link back up the tree, or two links) is scanned once.
  if (state.seenDirs.has(real)) return;
  state.seenDirs.add(real);
  let entries: Dirent[];
  try {
    entries = await fs.readdir(dir, { withFileTypes: true });
  } catch (error) {
    yield { kind: 'error', path: dir, reason: `cannot read folder: ${fsReason(error)}`, target: 'folder' };
    return;
  }
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of entries) {
    if (entry.name.startsWith('.')) continue;
    const path = join(dir, entry.name);
    let isDir = entry.isDirectory();
    let isFile = entry.isFile();
    if (entry.isSymbolicLink()) {
      try {
        const target = await fs.stat(path);
        isDir = target.isDirectory();
        isFile = target.isFile();
      } catch (error) {
        // A dangling or looping link to an audio file is worth reporting; other names are noise.
        if (isAudioFileName(entry.name)) yield { kind: 'error', path, reason: fsReason(error), target: 'file' };
        continue;
      }
    }
    if (isDir) {
      yield* walkDir(path, state, entry.isSymbolicLink() ? undefined : join(real, entry.name));
    } else if (isFile && isAudioFileName(entry.name)) {
      // A plain entry's real path is known from its folder's: only links cost a look-up (at
      // 100,000 files, one look-up each was most of an unchanged rescan).
      const realFile = entry.isSymbolicLink() ? ((await realPathOrUndefined(path)) ?? path) : join(real, entry.name);
      if (state.seenFiles.has(realFile)) continue;
      state.seenFiles.add(realFile);
      yield { kind: 'file', path };
    }
  }
}

/**
 * Expands the given paths in order. A file named explicitly is always included whatever its
 * extension; folders contribute the audio files below them.
 */
export async function* expandPaths(paths: readonly string[]): AsyncGenerator<ScanEntry> {
  const state: ScanState = { seenDirs: new Set(), seenFiles: new Set() };
  for (const given of paths) {
    const path = resolve(given);
    let stat;
    try {
      stat = await fs.stat(path);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      yield { kind: 'error', path, reason: code === 'ENOENT' ? 'no such file or folder' : fsReason(error), target: 'path' };
      continue;
    }
    if (stat.isDirectory()) {
      yield* walkDir(path, state);
    } else {
      const realFile = (await realPathOrUndefined(path)) ?? path;
      if (state.seenFiles.has(realFile)) continue;
      state.seenFiles.add(realFile);
      yield { kind: 'file', path };
    }
  }
}
