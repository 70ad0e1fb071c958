// Writes a file's genre and mood without ever damaging it: the tags go into a copy in the same
// folder, the copy is read back (fields, every other tag, the audio checksum, the track's
// identity), then it replaces the original in one rename, with the original's permissions. On any
// failure the copy is removed and the original was never opened for writing.
import { randomBytes } from 'node:crypto';
import { constants, promises as fs } from 'node:fs';
import { basename, dirname, extname, join } from 'node:path';
import type { FileFieldValues, TagField } from '../../src-preload/contract-data';
import { TAG_FIELDS } from '../../src-preload/contract-data';
import { sampledContentHash } from '../library/content-hash';
import { audioChecksum } from './audio-checksum';
import { checkId3Frames } from './id3-check';
import { FileWriteError, writeFailure } from './write-errors';
import { differingTags, otherTags } from './tag-snapshot';
import { readFields, storedForm, unsupportedReason, writeFields, type FieldsInFile, type MultiValueStyle } from './tag-io';

/** What the library last saw of the file: a write is refused when the file differs. */
export interface ScannedState {
  readonly sizeBytes: number | null;
  readonly mtimeMs: number | null;
}

/** Points where tests put faults in (a full disk, a file changed mid-write). */
export interface SafeWriteHooks {
  readonly copyFile?: (from: string, to: string) => Promise<void>;
  readonly beforeReplace?: (path: string) => Promise<void>;
}

/** A finished write. */
export interface SafeWriteResult {
  readonly before: FieldsInFile;
  readonly after: FieldsInFile;
  readonly sizeBytes: number;
  readonly mtimeMs: number;
  /** False when the file already said exactly this: nothing was written. */
  readonly written: boolean;
}

/** The name of the working copy: hidden (scans skip it), same extension (the format is read from it). */
function copyPathFor(path: string): string {
  return join(dirname(path), `.${basename(path)}.eno-${randomBytes(4).toString('hex')}${extname(path)}`);
}

async function checkWritable(path: string, scanned: ScannedState | null): Promise<{ mode: number; uid: number; gid: number; size: number; mtimeMs: number }> {
  const reason = unsupportedReason(path);
  if (reason) throw new FileWriteError('unsupported', reason);
  let stat;
  try {
    stat = await fs.stat(path);
  } catch (error) {
    throw writeFailure(error);
  }
  if (!stat.isFile()) throw new FileWriteError('vanished', 'the path is no longer a file');
  if (scanned && (scanned.sizeBytes !== stat.size || scanned.mtimeMs !== stat.mtimeMs)) {
    throw new FileWriteError('changed', 'the file changed since it was scanned; rescan the folder, then write again');
  }
  // Write bits, not access(): the superuser passes access() even on a file its owner made read-only.
  if ((stat.mode & 0o222) === 0) throw new FileWriteError('read-only', 'the file is read-only');
  try {
    await fs.access(path, constants.W_OK);
    await fs.access(dirname(path), constants.W_OK);
  } catch (error) {
    throw writeFailure(error);
  }
  return { mode: stat.mode & 0o7777, uid: stat.uid, gid: stat.gid, size: stat.size, mtimeMs: stat.mtimeMs };
}

const same = (a: readonly string[], b: readonly string[]): boolean => a.length === b.length && a.every((v, i) => v === b[i]);

/** The values a field should read back as, once stored in this kind of tag with this style. */
function expectedAfter(before: FieldsInFile, values: Partial<FileFieldValues>, style: MultiValueStyle): FileFieldValues {
  const pick = (field: TagField): readonly string[] => {
    const wanted = values[field];
    return wanted ? storedForm(wanted, before.kind, style) : before.values[field];
  };
  return { genre: pick('genre'), mood: pick('mood') };
}

async function verifyCopy(copy: string, expected: FileFieldValues, original: { checksum: string; tags: Map<string, string[]>; hash: string }): Promise<FieldsInFile> {
  const after = readFields(copy);
  for (const field of TAG_FIELDS) {
    if (!same(after.values[field], expected[field])) {
      throw new FileWriteError('verify-failed', `the written ${field} reads back as "${after.values[field].join(' | ')}"`);
    }
  }
  // ffmpeg runs in its own process while the tags are compared here.
  const [checksum, tags, identity] = await Promise.all([audioChecksum(copy), otherTags(copy), sampledContentHash(copy)]);
  const changed = differingTags(original.tags, tags);
  if (changed.length) throw new FileWriteError('verify-failed', `other tags would change (${changed.slice(0, 3).join(', ')})`);
  if (checksum !== original.checksum) throw new FileWriteError('verify-failed', 'the audio would change');
  if (identity.hash !== original.hash) throw new FileWriteError('verify-failed', "the track's identity would change");
  return after;
}

async function syncFile(path: string): Promise<void> {
  const handle = await fs.open(path, 'r+');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

async function syncFolder(path: string): Promise<void> {
  try {
    const handle = await fs.open(dirname(path), 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    // Some file systems cannot fsync a folder; the rename itself is still atomic.
  }
}

/**
 * Writes the given fields (absent: left alone; empty: removed) into the file safely. `scanned`
 * is what the library recorded at the last scan (null: do not compare).
 */
export async function safeWriteFields(
  path: string,
  values: Partial<FileFieldValues>,
  style: MultiValueStyle,
  scanned: ScannedState | null,
  hooks: SafeWriteHooks = {},
): Promise<SafeWriteResult> {
  const stat = await checkWritable(path, scanned);
  let before: FieldsInFile;
  try {
    const damage = await checkId3Frames(path);
    if (damage) throw new FileWriteError('damaged', `the file's ID3 tag is damaged (${damage}); nothing was written`);
    before = readFields(path);
  } catch (error) {
    throw writeFailure(error);
  }
  const expected = expectedAfter(before, values, style);
  if (TAG_FIELDS.every((f) => same(before.values[f], expected[f]))) {
    return { before, after: before, sizeBytes: stat.size, mtimeMs: stat.mtimeMs, written: false };
  }
  let original;
  try {
    const [checksum, tags, identity] = await Promise.all([audioChecksum(path), otherTags(path), sampledContentHash(path)]);
    original = { checksum, tags, hash: identity.hash };
  } catch (error) {
    throw writeFailure(error);
  }
  const copy = copyPathFor(path);
  try {
    await (hooks.copyFile ?? ((from, to) => fs.copyFile(from, to, constants.COPYFILE_EXCL)))(path, copy);
    await fs.chmod(copy, stat.mode);
    await fs.chown(copy, stat.uid, stat.gid).catch(() => undefined);
    writeFields(copy, values, style);
    await syncFile(copy);
    const after = await verifyCopy(copy, expected, original);
    await hooks.beforeReplace?.(path);
    const now = await fs.stat(path).catch(() => null);
    if (!now) throw new FileWriteError('vanished', 'the file was moved or deleted while it was being written');
    if (now.size !== stat.size || now.mtimeMs !== stat.mtimeMs) {
      throw new FileWriteError('changed', 'the file changed while it was being written; write again');
    }
    await fs.rename(copy, path);
    await syncFolder(path);
    const done = await fs.stat(path);
    return { before, after, sizeBytes: done.size, mtimeMs: done.mtimeMs, written: true };
  } catch (error) {
    await fs.rm(copy, { force: true }).catch(() => undefined);
    throw writeFailure(error);
  }
}
