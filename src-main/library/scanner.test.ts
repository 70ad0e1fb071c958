// Scan order: files are written, and so queued, in path order whatever order their hashes finish
// in (regression: a folder's waiting files were tagged 00, 02, 01, 03, 04 on one file system).
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { tempDir } from '../../test-support/fixtures';
import { scanPaths } from './scanner';
import type { BatchResult, EnqueueMode, ScanItem, TrackWriter } from './track-writes';

// Hashes finish in the reverse of the order they were started: the later a file sorts, the sooner.
vi.mock('./content-hash', () => {
  let started = 0;
  return {
    sampledContentHash: async (path: string) => {
      const delayMs = 200 - 20 * started++;
      await new Promise((r) => setTimeout(r, Math.max(delayMs, 0)));
      return { hash: path, sizeBytes: 1, mtimeMs: 1 };
    },
  };
});

const tmp = tempDir();
afterAll(() => tmp.cleanup());

describe('scanPaths', () => {
  it('writes items in path order although their hashes finish in reverse', async () => {
    const folder = join(tmp.dir, 'album');
    mkdirSync(join(folder, 'disc 2'), { recursive: true });
    const names = ['03 c.flac', '01 a.flac', 'disc 2/01 e.flac', '02 b.flac', '04 d.flac'];
    for (const n of names) writeFileSync(join(folder, n), n);
    const written: string[] = [];
    const writer = {
      stateOf: () => undefined,
      applyBatch: (items: readonly ScanItem[], _mode: EnqueueMode | null): BatchResult => {
        written.push(...items.map((i) => i.path));
        return { changed: [], created: items.length, queued: items.length };
      },
    } as unknown as TrackWriter;
    const report = await scanPaths([folder], { writer, mode: { priority: 1, eager: false }, folderOf: () => null });
    expect(report.files).toBe(5);
    expect(written).toEqual(['01 a.flac', '02 b.flac', '03 c.flac', '04 d.flac', 'disc 2/01 e.flac'].map((n) => join(folder, n)));
  });
});
