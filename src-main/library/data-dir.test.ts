import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { tempDir } from '../test-support/fixtures';
import { ensureDataDir, resolveDataDir } from './data-dir';

const tmp = tempDir();
afterAll(() => tmp.cleanup());

describe('resolveDataDir', () => {
  const env = { ENO_DATA_DIR: '/env/eno', XDG_DATA_HOME: '/xdg' };
  it('prefers --data-dir, then ENO_DATA_DIR, then Electron userData, then XDG', () => {
    const base = { home: '/home/u', platform: 'linux' as const };
    expect(resolveDataDir({ ...base, explicit: 'rel/dir', env, electronUserData: '/ud' })).toBe(join(process.cwd(), 'rel/dir'));
    expect(resolveDataDir({ ...base, env, electronUserData: '/ud' })).toBe('/env/eno');
    expect(resolveDataDir({ ...base, env: { XDG_DATA_HOME: '/xdg' }, electronUserData: '/ud' })).toBe('/ud');
    expect(resolveDataDir({ ...base, env: { XDG_DATA_HOME: '/xdg' } })).toBe('/xdg/eno');
    expect(resolveDataDir({ ...base, env: {} })).toBe('/home/u/.local/share/eno');
    expect(resolveDataDir({ ...base, env: { XDG_DATA_HOME: 'relative' } })).toBe('/home/u/.local/share/eno');
  });

  it('uses the usual application-data places on macOS and Windows', () => {
    expect(resolveDataDir({ home: '/Users/u', platform: 'darwin', env: {} })).toBe('/Users/u/Library/Application Support/eno');
    expect(resolveDataDir({ home: '/h', platform: 'win32', env: { APPDATA: '/h/AppData/Roaming' } })).toBe('/h/AppData/Roaming/eno');
  });

  it('creates the folder when missing', () => {
    const dir = ensureDataDir({ explicit: join(tmp.dir, 'a', 'b') });
    expect(existsSync(dir) && statSync(dir).isDirectory()).toBe(true);
    expect(ensureDataDir({ explicit: dir })).toBe(dir);
  });
});
