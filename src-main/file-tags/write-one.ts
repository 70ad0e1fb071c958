// One file of a batch: writing a track's tags into it, or putting back what it had before.
import type { FileFieldValues, FileTagSettings } from '../../src-preload/contract-data';
import type { Db } from '../library/store';
import type { FinalTag } from '../review/final-tags';
import { plannedValues, valuesToWrite } from './plan';
import { safeWriteFields, type SafeWriteHooks } from './safe-write';
import { readFields, shownValues, unsupportedReason } from './tag-io';
import { withId3v1Genre } from './tag-snapshot';
import { FileWriteError, writeFailure } from './write-errors';
import * as store from './write-store';

type Scanned = ReturnType<typeof store.scannedStateOf>;

const sameValues = (a: FileFieldValues, b: FileFieldValues): boolean =>
  (['genre', 'mood'] as const).every((f) => a[f].length === b[f].length && a[f].every((v, i) => v === b[f][i]));

/** Writes one file of a batch: the track's planned values, merged with what the file has. */
export async function writeOne(db: Db, tags: readonly FinalTag[], item: store.WriteItem, settings: FileTagSettings, scanned: Scanned, hooks?: SafeWriteHooks): Promise<void> {
  const planned = plannedValues(tags, settings);
  if (planned.genre.length + planned.mood.length === 0) {
    db.prepare("UPDATE tag_write_items SET state = 'skipped', error = 'eno has no tags for this track to write', done_at = ? WHERE id = ?").run(new Date().toISOString(), item.id);
    return;
  }
  const reason = unsupportedReason(item.path);
  if (reason) throw new FileWriteError('unsupported', reason);
  let inFile: FileFieldValues;
  try {
    inFile = shownValues(await withId3v1Genre(item.path, readFields(item.path)));
  } catch (error) {
    throw writeFailure(error);
  }
  const toWrite = valuesToWrite(planned, inFile, settings, store.lastContribution(db, item.trackId, item.path, settings.separator));
  const result = await safeWriteFields(item.path, toWrite, settings, scanned, hooks);
  const state = result.written ? 'written' : 'unchanged';
  store.finishItem(db, item.id, { state, before: result.before.values, shownBefore: inFile, after: result.after.values, kind: result.after.kind });
  store.updateFileState(db, item.trackId, item.path, shownValues(await withId3v1Genre(item.path, result.after)), result.sizeBytes, result.mtimeMs);
}

/** Undoes one write: the file gets the values it had, unless someone changed them since. */
export async function undoOne(db: Db, item: store.WriteItem, scanned: Scanned, hooks?: SafeWriteHooks): Promise<void> {
  const original = item.undoes === null ? null : store.itemById(db, item.undoes);
  if (!original?.before || !original.after) throw new FileWriteError('failed', 'the write to undo is not in the library any more');
  let now: FileFieldValues;
  try {
    now = readFields(item.path).values;
  } catch (error) {
    throw writeFailure(error);
  }
  if (!sameValues(now, original.after)) {
    throw new FileWriteError('changed', "the file's genre or mood changed since eno wrote them; it was left as it is");
  }
  const result = await safeWriteFields(item.path, original.before, { multiValue: 'separate', separator: '' }, scanned, hooks);
  db.transaction(() => {
    store.finishItem(db, item.id, { state: 'written', before: result.before.values, after: result.after.values, kind: result.after.kind });
    store.markUndone(db, original.id);
  }).immediate();
  store.updateFileState(db, item.trackId, item.path, shownValues(await withId3v1Genre(item.path, result.after)), result.sizeBytes, result.mtimeMs);
}
