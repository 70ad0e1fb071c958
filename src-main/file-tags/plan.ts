// What goes into a file: the track's final tags, filtered and sorted into fields by the settings,
// then combined with what the file already has. Pure, so the preview, the batch, the CLI's diff
// and the track view agree.
import type { FieldChange, FileFieldValues, FileTagSettings, TagField } from '../../src-preload/contract-data';
import { TAG_FIELDS } from '../../src-preload/contract-data';
import type { FinalTag } from '../review/final-tags';

/** The defaults: genres to genre, descriptors to mood, nothing else; Picard-style capitalisation. */
export const DEFAULT_FILE_TAG_SETTINGS: FileTagSettings = {
  targets: { genre: 'genre', descriptor: 'mood', era: 'none', vocal: 'none', instrument: 'none', other: 'none', unknown: 'none' },
  maxPerField: 5,
  minConfidence: 0.3,
  existing: 'merge',
  capitalisation: 'title',
  multiValue: 'separate',
  separator: '; ',
  writeOnReview: false,
};

const EMPTY: FileFieldValues = { genre: [], mood: [] };
const key = (v: string): string => v.toLocaleLowerCase('en');

/** A tag name in the chosen capitalisation ("post-rock" -> "Post-Rock" in title case). */
export function capitalise(tag: string, style: FileTagSettings['capitalisation']): string {
  if (style === 'lower') return tag.toLocaleLowerCase('en');
  if (style === 'as-is') return tag;
  return tag.replace(/(^|[\s\-/&+(])(\p{L})/gu, (_m, sep: string, letter: string) => sep + letter.toLocaleUpperCase('en'));
}

/** Adds values not already present (case-insensitively), in order. */
function union(...lists: ReadonlyArray<readonly string[]>): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const v of lists.flat()) {
    if (seen.has(key(v))) continue;
    seen.add(key(v));
    out.push(v);
  }
  return out;
}

/** The values eno would write, per field, from a track's final tags (most confident first). */
export function plannedValues(tags: readonly FinalTag[], settings: FileTagSettings): FileFieldValues {
  const out: Record<TagField, string[]> = { genre: [], mood: [] };
  for (const t of tags) {
    if (t.source === 'model' && t.confidence < settings.minConfidence) continue;
    const target = settings.targets[t.category ?? 'unknown'];
    if (target === 'none') continue;
    out[target] = union(out[target], [capitalise(t.tag, settings.capitalisation)]);
  }
  return { genre: out.genre.slice(0, settings.maxPerField), mood: out.mood.slice(0, settings.maxPerField) };
}

/** The fields some category writes to (the others are never touched). */
export function writtenFields(settings: FileTagSettings): TagField[] {
  return TAG_FIELDS.filter((f) => Object.values(settings.targets).includes(f));
}

/** Both fields' values, with strings a file joined ("Rock; Pop") split by the chosen separator. */
export function splitValues(values: FileFieldValues, separator: string): FileFieldValues {
  return { genre: union(splitJoined(values.genre, separator)), mood: union(splitJoined(values.mood, separator)) };
}

/** Splits values a file joined into one string ("Rock; Pop") by the chosen separator. */
function splitJoined(values: readonly string[], separator: string): string[] {
  const sep = separator.trim();
  if (!sep) return [...values];
  return values.flatMap((v) => v.split(sep).map((p) => p.trim())).filter((v) => v.length > 0);
}

/**
 * The fields to write into a file (a field left out stays as it is), given what it has now and
 * what eno wrote into it last time (those values are eno's own, so merging replaces them).
 */
export function valuesToWrite(
  planned: FileFieldValues,
  inFile: FileFieldValues,
  settings: FileTagSettings,
  writtenBefore: FileFieldValues = EMPTY,
): Partial<FileFieldValues> {
  const out: Partial<Record<TagField, readonly string[]>> = {};
  for (const field of writtenFields(settings)) {
    const existing = inFile[field];
    if (settings.existing === 'keep') {
      if (existing.length === 0 && planned[field].length) out[field] = planned[field];
    } else if (settings.existing === 'replace') {
      out[field] = planned[field];
    } else {
      const ours = new Set(splitJoined(writtenBefore[field], settings.separator).map(key));
      const theirs = splitJoined(existing, settings.separator).filter((v) => !ours.has(key(v)));
      out[field] = union(theirs, planned[field]);
    }
  }
  return out;
}

/** The fields whose values differ between the file and what would be written. */
export function changesOf(inFile: FileFieldValues, toWrite: Partial<FileFieldValues>, separator: string): FieldChange[] {
  const changes: FieldChange[] = [];
  for (const field of TAG_FIELDS) {
    const after = toWrite[field];
    if (!after) continue;
    const before = inFile[field];
    const same = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((v, i) => v === b[i]);
    if (!same(before, after) && !same(splitJoined(before, separator), after)) changes.push({ field, before, after });
  }
  return changes;
}
