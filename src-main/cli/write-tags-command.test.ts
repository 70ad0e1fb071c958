// `eno write-tags` as a user runs it: the dry run prints the diff and writes nothing, a real run
// writes the files and reports a file it could not write, with the exit codes of `eno tag`.
import { chmodSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../test-support/cli';
import { tempDir } from '../../test-support/fixtures';
import { openRecording } from '../../test-support/library-harness';
import { fakeOutcome, makeTaggedFile, mutagenTags, TEST_FORMATS } from '../../test-support/tagged-files';

const tmp = tempDir('eno-write-tags-cli-');
const music = join(tmp.dir, 'music');
const data = join(tmp.dir, 'data');
const mp3 = join(music, 'a.mp3');
const flac = join(music, 'sub', 'b.flac');

beforeAll(async () => {
  mkdirSync(join(music, 'sub'), { recursive: true });
  mkdirSync(data);
  makeTaggedFile(mp3, TEST_FORMATS[1]!, { seconds: 3 });
  makeTaggedFile(flac, TEST_FORMATS[2]!, { seconds: 4 });
  const { library } = await openRecording(data, null, { runQueue: false });
  try {
    await library.addFolder({ path: music });
    await library.settled();
    const tags = [
      { name: 'post-rock', category: 'genre', score: 0.9 },
      { name: 'melancholic', category: 'descriptor', score: 0.8 },
    ] as const;
    for (const f of [mp3, flac]) await library.importOutcome(f, fakeOutcome(f, [...tags]));
  } finally {
    await library.close();
  }
}, 120_000);
afterAll(tmp.cleanup);

describe('eno write-tags', () => {
  it('prints the diff with --dry-run and writes nothing', async () => {
    const before = readFileSync(mp3);
    const run = await runCli(['write-tags', music, '--data-dir', data, '--dry-run']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain(`${mp3}\n  genre Jazz  ->  Jazz; Post-Rock\n  mood  (none)  ->  Melancholic\n`);
    expect(run.stdout).toContain('2 file(s); 2 would change (genre in 2, mood in 2)');
    expect(readFileSync(mp3).equals(before)).toBe(true);
  }, 60_000);

  it('writes the files under a path; a file it cannot write makes the exit status 1', async () => {
    chmodSync(flac, 0o444);
    const run = await runCli(['write-tags', music, '--data-dir', data]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`error  ${flac}: the file is read-only`);
    expect(run.stderr).toContain('eno: 1 written, 0 already right, 1 failed, 0 not done');
    const [a] = mutagenTags(mp3);
    expect(a!.id3_version).toBe('2.3');
    expect(a!.tags.TCON).toEqual(['Jazz; Post-Rock']);
    expect(a!.tags['TXXX:MOOD']).toEqual(['Melancholic']);
    chmodSync(flac, 0o644);
    const again = await runCli(['write-tags', join(music, 'sub'), '--data-dir', data]);
    expect(again.code, again.stderr).toBe(0);
    expect(mutagenTags(flac)[0]!.tags.genre).toEqual(['Jazz', 'Post-Rock']);
  }, 60_000);

  it('exits 2 on a usage error or a missing library', async () => {
    expect((await runCli(['write-tags', '--bogus'])).code).toBe(2);
    const none = await runCli(['write-tags', '--data-dir', join(tmp.dir, 'nowhere')]);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('there is no eno library');
  }, 60_000);
});
