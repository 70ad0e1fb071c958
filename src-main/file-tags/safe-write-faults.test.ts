// Every way a write can fail leaves the original byte-identical, removes the working copy and says
// why: a read-only file, a file gone or changed since the scan (or during the write), a full disk
// (an injected ENOSPC and a real tmpfs of a few hundred KB), damaged ID3 frames.
import { spawnSync } from 'node:child_process';
import { appendFileSync, chmodSync, copyFileSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../../test-support/fixtures';
import { makeTaggedFile, TEST_FORMATS } from '../../test-support/tagged-files';
import { safeWriteFields } from './safe-write';
import type { FileWriteError } from './write-errors';

const tmp = tempDir('eno-filetags-faults-');
const STYLE = { multiValue: 'separate', separator: '/' } as const;
let mp3 = '';
let bytes = Buffer.alloc(0);

beforeAll(() => {
  mp3 = makeTaggedFile(join(tmp.dir, 'source.mp3'), TEST_FORMATS[0]!, { seconds: 6 });
  bytes = readFileSync(mp3);
}, 60_000);
afterAll(tmp.cleanup);

/** A fresh copy of the source MP3 in its own folder. */
function fresh(name: string): { path: string; dir: string } {
  const dir = join(tmp.dir, name);
  mkdirSync(dir, { recursive: true });
  const path = join(dir, 'track.mp3');
  copyFileSync(mp3, path);
  return { path, dir };
}

const scannedOf = (path: string) => {
  const s = statSync(path);
  return { sizeBytes: s.size, mtimeMs: s.mtimeMs };
};

async function failure(promise: Promise<unknown>): Promise<FileWriteError> {
  try {
    await promise;
  } catch (error) {
    return error as FileWriteError;
  }
  throw new Error('the write was expected to fail');
}

function expectUntouched(path: string, dir: string, original: Buffer = bytes): void {
  expect(readFileSync(path).equals(original)).toBe(true);
  expect(readdirSync(dir).filter((n) => n.includes('.eno-'))).toEqual([]);
}

describe('safeWriteFields faults', () => {
  it('refuses a read-only file', async () => {
    const { path, dir } = fresh('read-only');
    chmodSync(path, 0o444);
    const error = await failure(safeWriteFields(path, { genre: ['Rock'] }, STYLE, scannedOf(path)));
    expect(error.code).toBe('read-only');
    expect(error.message).toMatch(/read-only/);
    expectUntouched(path, dir);
  });

  it('reports a file that vanished since the scan', async () => {
    const { path, dir } = fresh('vanished');
    const scanned = scannedOf(path);
    rmSync(path);
    const error = await failure(safeWriteFields(path, { genre: ['Rock'] }, STYLE, scanned));
    expect(error.code).toBe('vanished');
    expect(readdirSync(dir)).toEqual([]);
  });

  it('refuses a file changed since the scan', async () => {
    const { path, dir } = fresh('changed');
    const scanned = scannedOf(path);
    utimesSync(path, new Date(), new Date(Date.now() + 5000));
    const error = await failure(safeWriteFields(path, { genre: ['Rock'] }, STYLE, scanned));
    expect(error.code).toBe('changed');
    expectUntouched(path, dir);
  });

  it('keeps the other program’s change when the file changes during the write', async () => {
    const { path, dir } = fresh('changed-during');
    const error = await failure(
      safeWriteFields(path, { genre: ['Rock'] }, STYLE, scannedOf(path), { beforeReplace: async (p) => appendFileSync(p, 'x') }),
    );
    expect(error.code).toBe('changed');
    expectUntouched(path, dir, Buffer.concat([bytes, Buffer.from('x')]));
  }, 30_000);

  it('reports a full disk (the copy fails with ENOSPC)', async () => {
    const { path, dir } = fresh('enospc');
    const copyFile = async (_from: string, to: string): Promise<void> => {
      writeFileSync(to, bytes.subarray(0, 1000));
      throw Object.assign(new Error('ENOSPC: no space left on device, copyfile'), { code: 'ENOSPC' });
    };
    const error = await failure(safeWriteFields(path, { genre: ['Rock'] }, STYLE, scannedOf(path), { copyFile }));
    expect(error.code).toBe('disk-full');
    expect(error.message).toMatch(/disk is full/);
    expectUntouched(path, dir);
  }, 30_000);

  const mountPoint = join(tmp.dir, 'small-disk');
  mkdirSync(mountPoint, { recursive: true });
  const canMount = process.getuid?.() === 0 && spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=256k', 'tmpfs', mountPoint]).status === 0;
  afterAll(() => {
    if (canMount) spawnSync('umount', [mountPoint]);
  });

  it.runIf(canMount)('reports a full disk on a real 256 KB file system, leaving the file as it was', async () => {
    const path = join(mountPoint, 'track.mp3');
    copyFileSync(mp3, path);
    // Fill the rest of the disk so the copy cannot fit.
    spawnSync('dd', ['if=/dev/zero', `of=${join(mountPoint, 'filler')}`, 'bs=4k', 'count=1000'], { stdio: 'ignore' });
    const error = await failure(safeWriteFields(path, { genre: ['Rock'] }, STYLE, scannedOf(path)));
    expect(error.code).toBe('disk-full');
    expect(readFileSync(path).equals(bytes)).toBe(true);
    expect(readdirSync(mountPoint).filter((n) => n.includes('.eno-'))).toEqual([]);
  }, 30_000);

  it.each([
    ['a frame size past the end of the tag', (b: Buffer) => b.writeUInt32BE(0x7f7f7f7f, b.indexOf('TIT2') + 4)],
    ['garbage where frames should be', (b: Buffer) => b.fill(0xff, b.indexOf('TIT2'), b.indexOf('TIT2') + 40)],
    ['a text frame with an unknown encoding', (b: Buffer) => (b[b.indexOf('TIT2') + 10] = 9)],
    ['a tag longer than the file', (b: Buffer) => b.fill(0x7f, 6, 8)],
  ])('refuses damaged ID3 frames: %s', async (_what, damage) => {
    const { path, dir } = fresh(`damaged-${_what.length}`);
    const damaged = Buffer.from(bytes);
    damage(damaged);
    writeFileSync(path, damaged);
    const error = await failure(safeWriteFields(path, { genre: ['Rock'] }, STYLE, scannedOf(path)));
    expect(error.code).toBe('damaged');
    expectUntouched(path, dir, damaged);
  }, 30_000);

  it('reports formats that cannot carry these tags without touching them', async () => {
    const path = join(tmp.dir, 'track.wma');
    writeFileSync(path, 'not really');
    const error = await failure(safeWriteFields(path, { genre: ['Rock'] }, STYLE, null));
    expect(error.code).toBe('unsupported');
    expect(readFileSync(path, 'utf8')).toBe('not really');
  });
});
