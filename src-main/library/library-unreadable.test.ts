// Files and folders the user cannot read: rows with the reason, a notice for folders, and a second
// look when asked. Run as an unprivileged user so the permissions bite even when tests run as root.
import { chmodSync, mkdirSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { sine, tempDir, writeWav } from '../../test-support/fixtures';
import { runTsUnprivileged, shareWithOtherUsers } from '../../test-support/other-user';
import { openRecording, query } from '../../test-support/library-harness';

const tmp = tempDir();
const lib = join(tmp.dir, 'lib');
afterAll(() => {
  chmodSync(join(lib, 'locked folder'), 0o755);
  tmp.cleanup();
});

describe('unreadable files and folders', () => {
  mkdirSync(join(lib, 'locked folder'), { recursive: true });
  writeWav(join(lib, 'fine.wav'), sine(1, 16000, 440), 16000);
  writeWav(join(lib, 'locked.wav'), sine(1, 16000, 550), 16000);
  writeWav(join(lib, 'locked folder', 'hidden from us.wav'), sine(1, 16000, 660), 16000);
  symlinkSync(join(lib, 'nowhere.mp3'), join(lib, 'gone.mp3'));
  chmodSync(join(lib, 'locked.wav'), 0o000);
  chmodSync(join(lib, 'locked folder'), 0o000);
  const data = join(tmp.dir, 'data');
  mkdirSync(data);
  shareWithOtherUsers(tmp.dir);
  chmodSync(data, 0o777);

  it('get a row with the reason, and a notice for a folder; the rest is scanned', () => {
    const run = runTsUnprivileged('test-support/scripts/scan-as-user.ts', [data, lib, join(lib, 'locked.wav')]);
    expect(run.stderr).toBe('');
    const lines = run.stdout.trim().split('\n').map((l) => JSON.parse(l) as { kind: string; value: unknown });
    const rows = lines.filter((l) => l.kind === 'row').map((l) => l.value);
    expect(rows).toEqual([
      { title: 'fine', status: 'queued', error: null },
      { title: 'gone', status: 'error', error: 'file not found' },
      { title: 'locked', status: 'error', error: 'permission denied: the file cannot be read' },
    ]);
    const notices = lines.filter((l) => l.kind === 'notice').map((l) => (l.value as { message: string }).message);
    expect(notices.some((m) => m.includes(join(lib, 'locked folder')) && m.includes('permission denied'))).toBe(true);
    expect(lines.find((l) => l.kind === 'dropped')?.value).toEqual({
      files: 1,
      queued: 0,
      errors: [{ path: join(lib, 'locked.wav'), reason: 'permission denied: the file cannot be read' }],
    });
  });

  it('reads such files again on retry once they can be read', async () => {
    chmodSync(join(lib, 'locked.wav'), 0o644);
    const { library } = await openRecording(data, null);
    try {
      library.retryUntagged();
      await library.settled();
      const rows = library.queryTracks(query({ sort: 'title' })).rows.map((r) => [r.title, r.status]);
      expect(rows).toEqual([
        ['fine', 'queued'],
        ['gone', 'error'],
        ['locked', 'queued'],
      ]);
    } finally {
      await library.close();
    }
  });
});
