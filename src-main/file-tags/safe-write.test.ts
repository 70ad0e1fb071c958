// Writing genre and mood into every supported format, checked by independent readers (mutagen from
// a pinned venv, ffprobe): the fields as Picard writes them, every other tag and the cover as they
// were, the audio stream's checksum and the track's identity unchanged, the permissions kept.
import { chmodSync, copyFileSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sharedClip, tempDir } from '../../test-support/fixtures';
import { audioMd5, ffprobeTags, makeCover, makeTaggedFile, mutagenTags, TEST_FORMATS, type MutagenDump } from '../../test-support/tagged-files';
import { sampledContentHash } from '../library/content-hash';
import { safeWriteFields } from './safe-write';
import { readFields } from './tag-io';

const tmp = tempDir('eno-filetags-');
afterAll(tmp.cleanup);
let cover = '';
beforeAll(() => {
  cover = makeCover(tmp.dir);
  mutagenTags(cover); // creates the venv once, before the timed tests
}, 600_000);

const STYLE = { multiValue: 'separate', separator: '/' } as const;
const GENRES = ['Post-Rock', 'Shoegaze'];
const MOODS = ['Melancholic', 'Atmospheric'];

/** Where each format keeps genre and mood, as mutagen names them, and what a two-value write reads as. */
function fieldsIn(dump: MutagenDump): { genre: string[] | undefined; mood: string[] | undefined; others: Record<string, string[]> } {
  const genreKey = ['TCON', 'genre', '©gen'].find((k) => k in dump.tags);
  const moodKey = ['TMOO', 'TXXX:MOOD', 'mood', '----:com.apple.iTunes:MOOD'].find((k) => k in dump.tags);
  const others = Object.fromEntries(Object.entries(dump.tags).filter(([k]) => k !== genreKey && k !== moodKey));
  return { genre: genreKey ? dump.tags[genreKey] : undefined, mood: moodKey ? dump.tags[moodKey] : undefined, others };
}

function moodKeyFor(dump: MutagenDump): string | undefined {
  return ['TMOO', 'TXXX:MOOD', 'mood', '----:com.apple.iTunes:MOOD'].find((k) => k in dump.tags);
}

function leftovers(dir: string): string[] {
  return readdirSync(dir).filter((n) => n.includes('.eno-'));
}

describe('safeWriteFields on files made by ffmpeg', () => {
  it.each(TEST_FORMATS.map((f, i) => [f.name, i] as const))('%s: fields as Picard writes them, everything else untouched', async (_name, index) => {
    const format = TEST_FORMATS[index]!;
    const path = join(tmp.dir, `tone-${index}.${format.ext}`);
    makeTaggedFile(path, format, { seconds: 20, cover });
    chmodSync(path, 0o640);
    const [before] = mutagenTags(path);
    const md5 = audioMd5(path);
    const identity = (await sampledContentHash(path)).hash;
    const stat = statSync(path);

    const result = await safeWriteFields(path, { genre: GENRES, mood: MOODS }, STYLE, { sizeBytes: stat.size, mtimeMs: stat.mtimeMs });
    expect(result.written).toBe(true);
    expect(result.before.values.genre).toEqual(['Jazz']);

    const [after] = mutagenTags(path);
    const b = fieldsIn(before!);
    const a = fieldsIn(after!);
    if (format.args.includes('3')) {
      // ID3v2.3 stays v2.3: one string joined with the chosen separator, mood in TXXX:MOOD.
      expect(after!.id3_version).toBe('2.3');
      expect(after!.tags.TCON).toEqual(['Post-Rock/Shoegaze']);
      expect(after!.tags['TXXX:MOOD']).toEqual(['Melancholic/Atmospheric']);
    } else {
      expect(a.genre).toEqual(GENRES);
      expect(a.mood).toEqual(MOODS);
      if (after!.id3_version) {
        expect(after!.id3_version).toBe('2.4');
        expect(moodKeyFor(after!)).toBe('TMOO');
      }
    }
    expect(b.mood).toBeUndefined();
    expect(a.others).toEqual(b.others);
    expect(after!.pictures).toEqual(before!.pictures);
    if (format.cover) expect(after!.pictures.length).toBeGreaterThan(0);
    const replayGain = (others: Record<string, string[]>) => Object.keys(others).filter((k) => /replaygain_track_gain/i.test(k));
    expect(replayGain(a.others)).toEqual(replayGain(b.others));

    // ffprobe shows one value of a multi-value field (MP4: the last data atom).
    expect(ffprobeTags(path).genre).toMatch(/Post-Rock|Shoegaze/);
    expect(audioMd5(path)).toBe(md5);
    expect((await sampledContentHash(path)).hash).toBe(identity);
    expect(statSync(path).mode & 0o777).toBe(0o640);
    expect(leftovers(tmp.dir)).toEqual([]);
  }, 60_000);

  it('joins values into one string when asked (ID3v2.4 and MP4), and never for Vorbis comments', async () => {
    const joined = { multiValue: 'joined', separator: '; ' } as const;
    const made = [TEST_FORMATS[0]!, TEST_FORMATS[5]!, TEST_FORMATS[2]!].map((f, i) => makeTaggedFile(join(tmp.dir, `joined-${i}.${f.ext}`), f));
    for (const path of made) await safeWriteFields(path, { genre: GENRES }, joined, null);
    const [mp3, m4a, flac] = mutagenTags(...made);
    expect(mp3!.tags.TCON).toEqual(['Post-Rock; Shoegaze']);
    expect(m4a!.tags['©gen']).toEqual(['Post-Rock; Shoegaze']);
    expect(flac!.tags.genre).toEqual(GENRES);
  }, 60_000);

  it('removes a field given no values, and writes nothing when the file already says the same', async () => {
    const path = makeTaggedFile(join(tmp.dir, 'same.flac'), TEST_FORMATS[2]!);
    const bytes = readFileSync(path);
    const same = await safeWriteFields(path, { genre: ['Jazz'] }, STYLE, null);
    expect(same.written).toBe(false);
    expect(readFileSync(path).equals(bytes)).toBe(true);
    await safeWriteFields(path, { genre: [] }, STYLE, null);
    expect(mutagenTags(path)[0]!.tags.genre).toBeUndefined();
    expect(readFields(path).values.genre).toEqual([]);
  }, 60_000);
});

describe('safeWriteFields on the shared clips', () => {
  const clips = ['music/bensound-cute.mp3', 'music/TRWJAZW128F42760DD_test.mp3', 'music/Kevin_MacLeod_-_Vibe_Ace.ogg', 'music/sorohanro_-_solo-trumpet-06.ogg'];
  it.each(clips)('%s', async (clip) => {
    const path = join(tmp.dir, clip.replace('music/', 'shared-'));
    copyFileSync(sharedClip(clip), path);
    chmodSync(path, 0o644);
    const [before] = mutagenTags(path);
    const md5 = audioMd5(path);
    const identity = (await sampledContentHash(path)).hash;
    await safeWriteFields(path, { genre: GENRES, mood: MOODS }, STYLE, null);
    const [after] = mutagenTags(path);
    const a = fieldsIn(after!);
    if (after!.id3_version === '2.3') expect(a.genre).toEqual(['Post-Rock/Shoegaze']);
    else expect(a.genre).toEqual(GENRES);
    const { genre: _g, mood: _m, ...otherBefore } = { ...fieldsIn(before!) };
    expect(a.others).toEqual(otherBefore.others);
    expect(after!.pictures).toEqual(before!.pictures);
    expect(audioMd5(path)).toBe(md5);
    expect((await sampledContentHash(path)).hash).toBe(identity);
  }, 60_000);
});
