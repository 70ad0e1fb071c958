// Scanning into the library without tagging: identity across renames, moves and copies,
// incremental rescans, files that go away, nested folders, dropped files, metadata, watching.
import { copyFileSync, mkdirSync, readFileSync, renameSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { sharedClip, sine, tempDir, writeWav } from '../../test-support/fixtures';
import { LibraryError } from './library';
import { openRecording, query, waitFor } from '../../test-support/library-harness';

const tmp = tempDir();
afterAll(() => tmp.cleanup());

const SR = 16000;
const tone = (path: string, hz: number, seconds = 2): string => writeWav(path, sine(seconds, SR, hz), SR);

describe('identity and incremental rescans', async () => {
  const music = join(tmp.dir, 'music');
  mkdirSync(join(music, 'sub'), { recursive: true });
  tone(join(music, 'a.wav'), 440);
  tone(join(music, 'b.wav'), 550);
  const data = join(tmp.dir, 'data');
  mkdirSync(data);
  const { library, events } = await openRecording(data, null);
  afterAll(() => library.close());

  const rows = () => library.queryTracks(query({ sort: 'title' })).rows;
  const byPath = (p: string) => rows().find((r) => library.getTrack({ id: r.id }).files.includes(p));

  it('adds a folder, scans it in the background and queues new tracks', async () => {
    const folder = await library.addFolder({ path: music });
    expect(folder).toMatchObject({ path: music, scanning: true });
    await library.settled();
    expect(library.listFolders()).toEqual([{ id: folder.id, path: music, tracks: 2, scanning: false }]);
    expect(rows().map((r) => [r.title, r.status])).toEqual([
      ['a', 'queued'],
      ['b', 'queued'],
    ]);
    expect(events.some((e) => e.event === 'libraryChanged')).toBe(true);
  });

  it('keeps one track through a rename, a move and a copy, with its corrections', async () => {
    const a = byPath(join(music, 'a.wav'))!;
    const b = byPath(join(music, 'b.wav'))!;
    library.label({ trackIds: [a.id], action: 'add', tag: 'lullaby' });
    renameSync(join(music, 'a.wav'), join(music, 'sub', 'renamed.wav'));
    copyFileSync(join(music, 'b.wav'), join(music, 'b copy.wav'));
    library.rescan();
    await library.settled();
    expect(rows().map((r) => r.id).sort()).toEqual([a.id, b.id].sort());
    expect(library.getTrack({ id: a.id })).toMatchObject({ files: [join(music, 'sub', 'renamed.wav')], finalTags: ['lullaby'] });
    expect([...library.getTrack({ id: b.id }).files].sort()).toEqual([join(music, 'b copy.wav'), join(music, 'b.wav')]);
    expect(library.listFolders()[0]!.tracks).toBe(2);
  });

  it('reads a file again only when its size or mtime changed', async () => {
    const path = join(music, 'b.wav');
    const b = byPath(path)!;
    // Whole seconds, so restoring the mtime below is exact.
    utimesSync(path, 1_700_000_000, 1_700_000_000);
    library.rescan();
    await library.settled();
    expect(byPath(path)?.id).toBe(b.id);
    const bytes = readFileSync(path);
    bytes[100] = bytes[100]! ^ 0xff;
    writeFileSync(path, bytes);
    utimesSync(path, 1_700_000_000, 1_700_000_000);
    library.rescan();
    await library.settled();
    // Same size and mtime: not read, so still the old track although the bytes differ.
    expect(byPath(path)?.id).toBe(b.id);
    utimesSync(path, 1_700_000_000, 1_700_000_005);
    library.rescan();
    await library.settled();
    const now = byPath(path)!;
    expect(now.id).not.toBe(b.id);
    expect(now.status).toBe('queued');
    // The copy still holds the old audio, so the old track stays with one file.
    expect(library.getTrack({ id: b.id }).files).toEqual([join(music, 'b copy.wav')]);
  });

  it('drops files gone from disk; a corrected track leaves the table but keeps its corrections', async () => {
    const a = byPath(join(music, 'sub', 'renamed.wav'))!;
    rmSync(join(music, 'sub', 'renamed.wav'));
    library.rescan();
    await library.settled();
    expect(rows().some((r) => r.id === a.id)).toBe(false);
    expect(library.mediaFile(a.id)).toBeNull();
    const pending = library.pendingCorrections();
    expect(pending.map((c) => [c.tagsAdded, c.audioPath])).toEqual([[['lullaby'], null]]);
    // The audio comes back under another name: the same track, corrections and all.
    tone(join(music, 'again.wav'), 440);
    library.rescan();
    await library.settled();
    expect(library.getTrack({ id: a.id })).toMatchObject({ files: [join(music, 'again.wav')], finalTags: ['lullaby'] });
    expect(library.mediaFile(a.id)).toBe(join(music, 'again.wav'));
  });

  it('keeps the tracks of a folder that is not available (an unplugged drive) and says so', async () => {
    const count = rows().length;
    renameSync(music, `${music}-away`);
    events.length = 0;
    library.rescan();
    await library.settled();
    expect(rows()).toHaveLength(count);
    expect(events).toContainEqual(expect.objectContaining({ event: 'notice', payload: { level: 'error', message: expect.stringContaining(music) } }));
    renameSync(`${music}-away`, music);
  });

  it('treats a folder inside a library folder as that folder, and takes in folders below a new one', async () => {
    const [top] = library.listFolders();
    expect(await library.addFolder({ path: join(music, 'sub') })).toMatchObject({ id: top!.id, path: music, alreadyIn: 'inside' });
    const parent = await library.addFolder({ path: tmp.dir });
    await library.settled();
    expect(library.listFolders()).toEqual([expect.objectContaining({ id: parent.id, path: tmp.dir })]);
    await expect(library.addFolder({ path: join(tmp.dir, 'nope') })).rejects.toMatchObject({ code: 'invalid-argument' });
    await expect(library.addFolder({ path: join(music, 'b.wav') })).rejects.toBeInstanceOf(LibraryError);
  });

  // Regression: adding a folder the library already has said only "Scanning…".
  it('says when a folder is already in the library, and rescans it', async () => {
    const [top] = library.listFolders();
    const again = await library.addFolder({ path: top!.path });
    expect(again).toMatchObject({ id: top!.id, path: top!.path, alreadyIn: 'same', scanning: true });
    await library.settled();
    expect(library.listFolders()).toEqual([expect.objectContaining({ id: top!.id, scanning: false })]);
  });

  // Regression: a relative path was resolved against the folder the server was started in.
  it('refuses a relative folder path, saying what to give instead, and reads ~ as the home folder', async () => {
    await expect(library.addFolder({ path: 'music' })).rejects.toMatchObject({
      code: 'invalid-argument',
      message: '"music" is not a full path: give the folder\'s full path on the machine running eno, like /home/me/Music or ~/Music',
    });
    await expect(library.addFolder({ path: '../music' })).rejects.toMatchObject({ code: 'invalid-argument' });
    await expect(library.addFolder({ path: '~/eno-no-such-folder' })).rejects.toMatchObject({
      code: 'invalid-argument',
      message: `${join(homedir(), 'eno-no-such-folder')}: no such folder`,
    });
    expect(library.listFolders()).toHaveLength(1);
  });

  it('removes a folder and its tracks', async () => {
    const [folder] = library.listFolders();
    await library.removeFolder({ id: folder!.id });
    expect(library.listFolders()).toEqual([]);
    expect(rows()).toEqual([]);
    await expect(library.removeFolder({ id: folder!.id })).rejects.toMatchObject({ code: 'not-found' });
  });
});

describe('dropped files, metadata and watching', async () => {
  const data = join(tmp.dir, 'data2');
  const watched = join(tmp.dir, 'watched');
  mkdirSync(data);
  mkdirSync(watched);
  const { library } = await openRecording(data, null, { watch: true });
  afterAll(() => library.close());

  it('adds dropped files and folders, reports what could not be added, and reads tags in the background', async () => {
    const drop = join(tmp.dir, 'drop');
    mkdirSync(drop);
    copyFileSync(sharedClip('music/bensound-actionable.mp3'), join(drop, 'x.mp3'));
    tone(join(drop, 'plain.wav'), 330);
    const result = await library.addPaths({ paths: [drop, join(tmp.dir, 'missing.mp3')] });
    expect(result).toEqual({
      files: 2,
      queued: 2,
      errors: [{ path: join(tmp.dir, 'missing.mp3'), reason: 'no such file or folder' }],
    });
    await library.settled();
    const rows = library.queryTracks(query({ sort: 'title' })).rows;
    expect(rows.map((r) => [r.title, r.artist])).toEqual([
      ['Actionable', 'Bensound'],
      ['plain', null],
    ]);
    expect(rows[0]!.durationSec).toBeCloseTo(31.8, 0);
    // Dropping the same files again adds nothing new.
    expect((await library.addPaths({ paths: [drop] })).files).toBe(2);
    expect(library.queryTracks(query()).total).toBe(2);
  });

  it('picks up files added to and removed from a watched folder while it runs', async () => {
    await library.addFolder({ path: watched });
    await library.settled();
    mkdirSync(join(watched, 'new album'));
    tone(join(watched, 'new album', 'song.wav'), 620);
    const row = await waitFor(
      () => library.queryTracks(query({ search: 'song' })).rows[0],
      'the watcher to add the new file',
      15_000,
    );
    expect(row.path).toBe(join(watched, 'new album', 'song.wav'));
    rmSync(join(watched, 'new album'), { recursive: true });
    await waitFor(() => library.queryTracks(query({ search: 'song' })).total === 0, 'the watcher to drop the file', 15_000);
  });
});

describe('managing folders', async () => {
  const data = join(tmp.dir, 'data3');
  const keep = join(tmp.dir, 'keep');
  const forget = join(tmp.dir, 'forget');
  for (const d of [data, keep, forget]) mkdirSync(d);
  tone(join(keep, 'kept-song.wav'), 700);
  tone(join(forget, 'forgotten-song.wav'), 800);
  copyFileSync(sharedClip('music/Kevin_MacLeod_-_Vibe_Ace.ogg'), join(keep, 'vibe.ogg'));
  const { library } = await openRecording(data, null);
  afterAll(() => library.close());
  const idOf = (name: string): number => library.queryTracks(query({ search: name })).rows[0]!.id;

  it('rescans one folder on request, picking up new files', async () => {
    const folder = await library.addFolder({ path: keep });
    await library.settled();
    tone(join(keep, 'later.wav'), 900);
    library.rescanFolder({ id: folder.id });
    await library.settled();
    expect(library.listFolders()[0]).toMatchObject({ id: folder.id, tracks: 3 });
    expect(() => library.rescanFolder({ id: 999 })).toThrow(expect.objectContaining({ code: 'not-found' }));
  });

  it('serves the cover picture embedded in a file, and nothing for a file without one', async () => {
    const cover = await library.coverArt(idOf('vibe.ogg'));
    expect(cover?.mime).toBe('image/jpeg');
    expect([...cover!.data.subarray(0, 3)]).toEqual([0xff, 0xd8, 0xff]);
    expect(await library.coverArt(idOf('later.wav'))).toBeNull();
    expect(await library.coverArt(424242)).toBeNull();
  });

  it('keeps the corrections of a removed folder unless told to forget them', async () => {
    const second = await library.addFolder({ path: forget });
    await library.settled();
    const [k, f] = [idOf('kept-song'), idOf('forgotten-song')];
    library.label({ trackIds: [k, f], action: 'add', tag: 'keepsake' });
    await library.removeFolder({ id: second.id, forgetCorrections: true });
    const first = library.listFolders()[0]!;
    await library.removeFolder({ id: first.id });
    expect(library.queryTracks(query()).total).toBe(0);
    const pending = library.pendingCorrections();
    expect(pending.map((c) => c.finalTags)).toEqual([['keepsake']]);
    expect(library.getTrack({ id: k }).finalTags).toEqual(['keepsake']);
    expect(() => library.getTrack({ id: f })).toThrow(expect.objectContaining({ code: 'not-found' }));
    // Added again, the kept track comes back with its correction; the forgotten one has none.
    await library.addFolder({ path: keep });
    await library.addFolder({ path: forget });
    await library.settled();
    expect(library.getTrack({ id: idOf('kept-song') }).finalTags).toContain('keepsake');
    expect(library.getTrack({ id: idOf('forgotten-song') }).finalTags).not.toContain('keepsake');
  });
});
