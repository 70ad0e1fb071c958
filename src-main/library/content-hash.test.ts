import { chmodSync, copyFileSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { sharedClip, tempDir } from '../../test-support/fixtures';
import { makeTaggedFile, TEST_FORMATS } from '../../test-support/tagged-files';
import { writeFields } from '../file-tags/tag-io';
import { HASH_SAMPLE_BYTES, sampledContentHash } from './content-hash';

const tmp = tempDir();
afterAll(() => tmp.cleanup());

describe('sampledContentHash', () => {
  it('is the same for a copy, a renamed and a moved file', async () => {
    const clip = sharedClip('music/bensound-cute.mp3');
    const original = await sampledContentHash(clip);
    const copy = join(tmp.dir, 'copy.mp3');
    copyFileSync(clip, copy);
    expect((await sampledContentHash(copy)).hash).toBe(original.hash);
    mkdirSync(join(tmp.dir, 'moved'));
    const moved = join(tmp.dir, 'moved', 'renamed.mp3');
    renameSync(copy, moved);
    expect(await sampledContentHash(moved)).toMatchObject({ hash: original.hash, sizeBytes: original.sizeBytes });
    expect(original.hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('changes when a sampled byte or the size changes, for small and large files', async () => {
    for (const size of [10, 3 * HASH_SAMPLE_BYTES + 1000]) {
      const bytes = Buffer.alloc(size, 7);
      const a = join(tmp.dir, `a${size}`);
      writeFileSync(a, bytes);
      const base = (await sampledContentHash(a)).hash;
      for (const at of [0, Math.floor(size / 2), size - 1]) {
        const changed = Buffer.from(bytes);
        changed[at] = 8;
        writeFileSync(a, changed);
        expect((await sampledContentHash(a)).hash, `byte ${at} of ${size}`).not.toBe(base);
      }
      writeFileSync(a, Buffer.concat([bytes, Buffer.from([7])]));
      expect((await sampledContentHash(a)).hash).not.toBe(base);
    }
  });

  it('fails with the file-system error for a missing file', async () => {
    await expect(sampledContentHash(join(tmp.dir, 'nope.mp3'))).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it.each(TEST_FORMATS.map((f, i) => [f.name, i] as const))('%s: the same after a tag edit, different for other audio', async (_name, i) => {
    const format = TEST_FORMATS[i]!;
    const path = makeTaggedFile(join(tmp.dir, `edit-${i}.${format.ext}`), format, { seconds: 12 });
    const other = makeTaggedFile(join(tmp.dir, `other-${i}.${format.ext}`), format, { seconds: 12, genre: 'Rock' });
    const before = await sampledContentHash(path);
    // A long value grows the tag past its padding (and an Ogg comment past its page).
    writeFields(path, { genre: ['x'.repeat(80_000)], mood: ['Calm'] }, { multiValue: 'separate', separator: '/' });
    const after = await sampledContentHash(path);
    expect(after.sizeBytes).toBeGreaterThan(before.sizeBytes + 70_000);
    expect(after.hash).toBe(before.hash);
    // Same tone, same length, only the genre differs: one track (the audio is all that counts).
    expect((await sampledContentHash(other)).hash).toBe(before.hash);
    const shorter = makeTaggedFile(join(tmp.dir, `short-${i}.${format.ext}`), format, { seconds: 11 });
    expect((await sampledContentHash(shorter)).hash).not.toBe(before.hash);
  }, 30_000);

  it('finds the audio of an Ogg file whose comment spans pages with granule position -1 (Vibe Ace)', async () => {
    const path = join(tmp.dir, 'vibe.ogg');
    copyFileSync(sharedClip('music/Kevin_MacLeod_-_Vibe_Ace.ogg'), path);
    chmodSync(path, 0o644);
    const before = await sampledContentHash(path);
    writeFields(path, { genre: ['Jazz'] }, { multiValue: 'separate', separator: '/' });
    expect((await sampledContentHash(path)).hash).toBe(before.hash);
  });
});
