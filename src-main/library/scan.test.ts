import { chmodSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { tempDir } from '../../test-support/fixtures';
import { runTsUnprivileged, shareWithOtherUsers } from '../../test-support/other-user';
import { expandPaths, isAudioFileName, type ScanEntry } from './scan';

const tmp = tempDir();
afterAll(() => {
  chmodSync(join(tmp.dir, 'other', 'locked'), 0o755);
  tmp.cleanup();
});

async function collect(paths: string[]): Promise<ScanEntry[]> {
  const out: ScanEntry[] = [];
  for await (const e of expandPaths(paths)) out.push(e);
  return out;
}

const files = (entries: ScanEntry[]): string[] =>
  entries.filter((e) => e.kind === 'file').map((e) => e.path.slice(tmp.dir.length + 1));

describe('expandPaths', () => {
  const lib = join(tmp.dir, 'lib');
  mkdirSync(join(lib, 'Artist', 'Album'), { recursive: true });
  mkdirSync(join(lib, '.hidden'), { recursive: true });
  for (const f of ['Artist/Album/02 b.flac', 'Artist/Album/01 a.MP3', 'Artist/cover.jpg', 'top.ogg', '.secret.mp3', '.hidden/x.mp3']) {
    writeFileSync(join(lib, f), 'x');
  }
  const other = join(tmp.dir, 'other');
  mkdirSync(join(other, 'locked'), { recursive: true });
  writeFileSync(join(other, 'locked', 'y.mp3'), 'x');
  writeFileSync(join(other, 'z.mp3'), 'x');
  chmodSync(join(other, 'locked'), 0o000);
  // A loop back to the top, a second path to the same album and to a file, and a dangling link.
  symlinkSync(lib, join(lib, 'Artist', 'loop'));
  symlinkSync(join(lib, 'Artist', 'Album'), join(lib, 'album-again'));
  symlinkSync(join(lib, 'top.ogg'), join(lib, 'zz-top-again.ogg'));
  symlinkSync(join(lib, 'nowhere.mp3'), join(lib, 'dangling.mp3'));

  it('finds audio files recursively, in name order, once each, skipping hidden entries', async () => {
    const entries = await collect([lib]);
    expect(files(entries)).toEqual(['lib/Artist/Album/01 a.MP3', 'lib/Artist/Album/02 b.flac', 'lib/top.ogg']);
  });

  it('reports a dangling link to an audio file instead of failing', async () => {
    const entries = await collect([lib]);
    const errors = entries.filter((e) => e.kind === 'error');
    expect(errors).toContainEqual({ kind: 'error', path: join(lib, 'dangling.mp3'), reason: 'file not found', target: 'file' });
  });

  it('reports a folder it cannot read and goes on (run as an unprivileged user)', () => {
    shareWithOtherUsers(tmp.dir);
    const run = runTsUnprivileged('test-support/print-scan.ts', [other]);
    expect(run.stderr).toBe('');
    const entries = run.stdout.trim().split('\n').map((l) => JSON.parse(l) as ScanEntry);
    expect(entries).toEqual([
      { kind: 'error', path: join(other, 'locked'), reason: 'cannot read folder: permission denied: the file cannot be read', target: 'folder' },
      { kind: 'file', path: join(other, 'z.mp3') },
    ]);
  });

  it('keeps explicitly named files whatever their extension, and names missing paths', async () => {
    const notes = join(tmp.dir, 'notes.txt');
    writeFileSync(notes, 'hello');
    const entries = await collect([notes, join(tmp.dir, 'nope.mp3'), notes]);
    expect(entries).toEqual([
      { kind: 'file', path: notes },
      { kind: 'error', path: join(tmp.dir, 'nope.mp3'), reason: 'no such file or folder', target: 'path' },
    ]);
  });
});

describe('isAudioFileName', () => {
  it('knows the usual audio extensions, case-insensitively', () => {
    for (const n of ['a.mp3', 'b.FLAC', 'c.opus', 'd.m4a', 'e.aiff', 'f.wv', 'g.ape', 'h.wma', 'i.wav', 'j.ogg']) {
      expect(isAudioFileName(n)).toBe(true);
    }
    for (const n of ['a.jpg', 'b.txt', 'c.cue', 'mp3']) expect(isAudioFileName(n)).toBe(false);
  });

  // Regression: .mp4, .m4b and .mkv files with an audio track were left out of folder scans.
  it('takes video and audiobook containers in, for their audio track', () => {
    for (const n of ['clip.mp4', 'book.M4B', 'concert.mkv', 'video.m4v']) expect(isAudioFileName(n)).toBe(true);
  });
});
