import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { tempDir } from '../../test-support/fixtures';
import { waitFor } from '../../test-support/library-harness';
import { FolderWatcher } from './watcher';

const tmp = tempDir();
afterAll(() => tmp.cleanup());

describe.each([
  ['folder by folder (Linux)', false],
  ['native recursive', true],
])('FolderWatcher, %s', (name, native) => {
  it('reports changed paths once things settle, outermost first, hidden ones skipped', async () => {
    const root = join(tmp.dir, name);
    mkdirSync(join(root, 'old', 'deep'), { recursive: true });
    const reports: string[][] = [];
    const watcher = new FolderWatcher({ onChanged: (_id, paths) => reports.push(paths), onError: (_i, _r, m) => reports.push([`error ${m}`]) }, 150, native);
    watcher.watch(1, root);
    try {
      await new Promise((r) => setTimeout(r, 200));
      writeFileSync(join(root, 'old', 'deep', 'a.mp3'), 'x');
      writeFileSync(join(root, '.hidden.mp3'), 'x');
      await waitFor(() => reports.length > 0, 'a first report', 5000);
      expect(reports.shift()).toEqual([join(root, 'old', 'deep', 'a.mp3')]);

      // A new folder is watched too, once it exists.
      mkdirSync(join(root, 'new'));
      await new Promise((r) => setTimeout(r, 300));
      writeFileSync(join(root, 'new', 'b.mp3'), 'x');
      await waitFor(() => reports.flat().includes(join(root, 'new', 'b.mp3')), 'a file in a new folder', 5000);
      reports.length = 0;

      rmSync(join(root, 'old'), { recursive: true });
      await waitFor(() => reports.length > 0, 'a removal', 5000);
      expect(reports.flat()).toContain(join(root, 'old'));
      expect(reports.flat().some((p) => p.includes('.hidden'))).toBe(false);
    } finally {
      watcher.close();
    }
  });
});
