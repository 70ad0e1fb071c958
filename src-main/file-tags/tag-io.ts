// Reads and writes the genre and mood fields of a music file with node-taglib-sharp (a TypeScript
// port of TagLib#), following Picard's tag mapping:
//   MP3, WAV, AIFF (ID3v2):  TCON; TMOO in ID3v2.4, TXXX:MOOD in ID3v2.3
//   FLAC, Ogg Vorbis, Opus:  Vorbis comments GENRE and MOOD, one field per value
//   M4A/MP4:                 ©gen and ----:com.apple.iTunes:MOOD
// Only these fields change; the library renders the rest of the tag from what it read. Tag blocks
// the file did not have (the library likes to add an ID3v1 tag to MP3s, RIFF INFO and DivX tags
// to WAVs) are dropped before saving, so nothing else appears in the file.
import type { Id3v2Tag, InfoTag, Mpeg4AppleTag as AppleTag, XiphComment } from 'node-taglib-sharp';
import {
  ByteVector,
  File as TaggedFile,
  Id3v2FrameClassType,
  Id3v2FrameIdentifiers,
  Id3v2Settings,
  Id3v2TextInformationFrame,
  Id3v2UserTextInformationFrame,
  Mpeg4AppleDataBoxFlagType,
  Mpeg4BoxType,
  ReadStyle,
  StringType,
  TagTypes,
} from 'node-taglib-sharp';
import { extname } from 'node:path';
import type { FileFieldValues } from '../../src-preload/contract-data';

// Genres are words, never ID3v1 numbers; new frames are UTF-8 (TagLib# renders UTF-16 for v2.3).
Id3v2Settings.useNumericGenres = false;
Id3v2Settings.defaultVersion = 4;
Id3v2Settings.defaultEncoding = StringType.UTF8;
Id3v2Settings.forceDefaultVersion = false;
// TCON is read as stored: a v2.3 "Rock/Pop" is split by the separator the person chose, not by ";" and "/".
Id3v2Settings.useNonStandardV2V3GenreSeparators = false;

/** Which family of tag a format carries the fields in. */
export type TagKind = 'id3v2.3' | 'id3v2.4' | 'vorbis' | 'mp4';

/** The container formats eno writes, by file extension. */
const WRITABLE: Readonly<Record<string, 'id3' | 'vorbis' | 'mp4'>> = {
  mp3: 'id3',
  wav: 'id3',
  wave: 'id3',
  aif: 'id3',
  aiff: 'id3',
  aifc: 'id3',
  flac: 'vorbis',
  ogg: 'vorbis',
  oga: 'vorbis',
  opus: 'vorbis',
  m4a: 'mp4',
  m4b: 'mp4',
  mp4: 'mp4',
};

/** Why a file cannot be written; null when eno can write its tags. */
export function unsupportedReason(path: string): string | null {
  const ext = extname(path).slice(1).toLowerCase();
  if (WRITABLE[ext]) return null;
  return `eno does not write tags into .${ext || '(no extension)'} files; only MP3, FLAC, Ogg Vorbis, Opus, M4A, WAV and AIFF`;
}

/** How several values share one field. */
export interface MultiValueStyle {
  /** 'separate': one value each (ID3v2.4 null-separated, several MP4 data atoms); 'joined': one string. */
  readonly multiValue: 'separate' | 'joined';
  /** Between joined values, and always in ID3v2.3 (which has no multi-value text). */
  readonly separator: string;
}

/** What a file says now: its tag kind and the values of the fields eno writes (empty when absent). */
export interface FieldsInFile {
  readonly kind: TagKind;
  readonly values: FileFieldValues;
  /** A genre only an ID3v1 tag carries (readers show it when ID3v2 has none; eno leaves ID3v1 alone). */
  readonly id3v1Genre?: string;
}

/**
 * The values a reader shows: the ID3v1 genre stands in for an absent ID3v2 genre (see
 * withId3v1Genre; eno never writes ID3v1).
 */
export function shownValues(fields: FieldsInFile): FileFieldValues {
  if (fields.values.genre.length || !fields.id3v1Genre) return fields.values;
  return { ...fields.values, genre: [fields.id3v1Genre] };
}

/** Thrown when the file's tags cannot be read (damaged frames, truncated file). */
export class DamagedTagsError extends Error {
  override name = 'DamagedTagsError';
}

const MOOD_MEAN = 'com.apple.iTunes';
const MOOD_NAME = 'MOOD';

function open(path: string): TaggedFile {
  try {
    return TaggedFile.createFromPath(path, undefined, ReadStyle.None);
  } catch (error) {
    throw new DamagedTagsError(`the file's tags cannot be read (${(error as Error).message})`);
  }
}

function family(path: string): 'id3' | 'vorbis' | 'mp4' {
  const f = WRITABLE[extname(path).slice(1).toLowerCase()];
  if (!f) throw new Error(unsupportedReason(path)!);
  return f;
}

const clean = (values: readonly string[]): string[] => values.map((v) => v.replace(/\0+$/, '').trim()).filter((v) => v.length > 0);

function id3Tag(file: TaggedFile, create: boolean): Id3v2Tag | undefined {
  return (file.getTag(TagTypes.Id3v2, create) as Id3v2Tag | undefined) ?? undefined;
}

function readId3(tag: Id3v2Tag | undefined): FieldsInFile {
  if (!tag) return { kind: 'id3v2.4', values: { genre: [], mood: [] } };
  const kind: TagKind = tag.version === 4 ? 'id3v2.4' : 'id3v2.3';
  const text = (id: string): string[] =>
    tag
      .getFramesByIdentifier<Id3v2TextInformationFrame>(Id3v2FrameClassType.TextInformationFrame, Id3v2FrameIdentifiers[id]!)
      .flatMap((f) => f.text);
  const userText = (description: string): string[] =>
    tag
      .getFramesByClassType<Id3v2UserTextInformationFrame>(Id3v2FrameClassType.UserTextInformationFrame)
      .filter((f) => f.description.toUpperCase() === description)
      .flatMap((f) => f.text);
  return { kind, values: { genre: clean(text('TCON')), mood: clean([...text('TMOO'), ...userText('MOOD')]) } };
}

function readVorbis(file: TaggedFile): FieldsInFile {
  const tag = file.getTag(TagTypes.Xiph, false) as XiphComment | undefined;
  return { kind: 'vorbis', values: { genre: clean(tag?.getField('GENRE') ?? []), mood: clean(tag?.getField('MOOD') ?? []) } };
}

function readMp4(file: TaggedFile): FieldsInFile {
  const tag = file.getTag(TagTypes.Apple, false) as AppleTag | undefined;
  if (!tag) return { kind: 'mp4', values: { genre: [], mood: [] } };
  // Each ©gen data atom is one value (AppleTag.genres would split on ";", which is ours to decide).
  const genre = tag.getQuickTimeData(Mpeg4BoxType.GEN, Mpeg4AppleDataBoxFlagType.ContainsText).map((d) => d.toString(StringType.UTF8));
  return { kind: 'mp4', values: { genre: clean(genre.length ? genre : tag.genres), mood: clean(tag.getItunesStrings(MOOD_MEAN, MOOD_NAME)) } };
}

function readOpen(file: TaggedFile, path: string): FieldsInFile {
  const f = family(path);
  // An MP3 without ID3v2 gets a tag made up in memory from its ID3v1 tag: not what the file says.
  if (f === 'id3') return readId3((file.tagTypesOnDisk & TagTypes.Id3v2) !== 0 || extname(path).toLowerCase() !== '.mp3' ? id3Tag(file, false) : undefined);
  if (f === 'vorbis') return readVorbis(file);
  return readMp4(file);
}

/** The genre and mood values a file carries now. */
export function readFields(path: string): FieldsInFile {
  const file = open(path);
  try {
    return readOpen(file, path);
  } finally {
    file.dispose();
  }
}

/** The exact strings a field is stored as, given the tag kind and the style. */
export function storedForm(values: readonly string[], kind: TagKind, style: MultiValueStyle): string[] {
  if (values.length <= 1) return [...values];
  if (kind === 'vorbis') return [...values];
  if (kind === 'id3v2.3' || style.multiValue === 'joined') return [values.join(style.separator)];
  return [...values];
}

function writeId3(file: TaggedFile, values: Partial<FileFieldValues>, style: MultiValueStyle): void {
  const existed = (file.tagTypesOnDisk & TagTypes.Id3v2) !== 0;
  const tag = id3Tag(file, true)!;
  // A new ID3 chunk (a WAV with RIFF INFO only) gets our fields alone, not copies of the others.
  if (!existed) tag.clear();
  const kind: TagKind = tag.version === 4 ? 'id3v2.4' : 'id3v2.3';
  if (values.genre) {
    tag.removeFrames(Id3v2FrameIdentifiers.TCON!);
    const stored = storedForm(values.genre, kind, style);
    if (stored.length) {
      const frame = Id3v2TextInformationFrame.fromIdentifier(Id3v2FrameIdentifiers.TCON!);
      frame.text = stored;
      tag.addFrame(frame);
    }
  }
  // A WAV's RIFF INFO list has a genre too (IGNR, one string): players that read INFO see ours.
  const info = (file.tagTypesOnDisk & TagTypes.RiffInfo) !== 0 ? (file.getTag(TagTypes.RiffInfo, false) as InfoTag | undefined) : undefined;
  if (info && values.genre) info.genres = values.genre.length ? [values.genre.join(style.separator)] : [];
  if (values.mood) {
    const stored = storedForm(values.mood, kind, style);
    if (kind === 'id3v2.4') {
      tag.removeFrames(Id3v2FrameIdentifiers.TMOO!);
      if (stored.length) {
        const frame = Id3v2TextInformationFrame.fromIdentifier(Id3v2FrameIdentifiers.TMOO!);
        frame.text = stored;
        tag.addFrame(frame);
      }
    }
    // ID3v2.3 has no TMOO: Picard and foobar2000 use TXXX:MOOD. A v2.4 file keeps only TMOO.
    for (const frame of tag.getFramesByClassType<Id3v2UserTextInformationFrame>(Id3v2FrameClassType.UserTextInformationFrame)) {
      if (frame.description.toUpperCase() === 'MOOD') tag.removeFrame(frame);
    }
    if (kind === 'id3v2.3' && stored.length) {
      const frame = Id3v2UserTextInformationFrame.fromDescription('MOOD');
      frame.text = stored;
      tag.addFrame(frame);
    }
  }
}

function writeVorbis(file: TaggedFile, values: Partial<FileFieldValues>): void {
  const tag = file.getTag(TagTypes.Xiph, true) as XiphComment;
  if (values.genre) tag.setFieldAsStrings('GENRE', ...values.genre);
  if (values.mood) tag.setFieldAsStrings('MOOD', ...values.mood);
}

function writeMp4(file: TaggedFile, values: Partial<FileFieldValues>, style: MultiValueStyle): void {
  const tag = file.getTag(TagTypes.Apple, true) as AppleTag;
  const utf8 = (s: string): ByteVector => ByteVector.fromString(s, StringType.UTF8);
  if (values.genre) {
    tag.setQuickTimeData(Mpeg4BoxType.GNRE, undefined as unknown as ByteVector[]);
    const stored = storedForm(values.genre, 'mp4', style);
    tag.setQuickTimeData(Mpeg4BoxType.GEN, stored.length ? stored.map(utf8) : (undefined as unknown as ByteVector[]), Mpeg4AppleDataBoxFlagType.ContainsText);
  }
  if (values.mood) tag.setItunesStrings(MOOD_MEAN, MOOD_NAME, ...storedForm(values.mood, 'mp4', style));
}

/**
 * Writes the given fields (an absent field is left alone; an empty list removes the field) into
 * the file in place, and returns the tag kind. Call it on a copy: see safe-write.ts.
 */
export function writeFields(path: string, values: Partial<FileFieldValues>, style: MultiValueStyle): TagKind {
  const file = open(path);
  try {
    const onDisk = file.tagTypesOnDisk;
    const f = family(path);
    let written: TagTypes;
    if (f === 'id3') {
      writeId3(file, values, style);
      written = TagTypes.Id3v2;
    } else if (f === 'vorbis') {
      writeVorbis(file, values);
      written = TagTypes.Xiph;
    } else {
      writeMp4(file, values, style);
      written = TagTypes.Apple;
    }
    const added = file.tagTypes & ~onDisk & ~written;
    if (added) file.removeTags(added);
    const kind = readOpen(file, path).kind;
    file.save();
    return kind;
  } finally {
    file.dispose();
  }
}
