import { existsSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { tempDir } from '../../test-support/fixtures';
import { desktopAppDataDir, ensureDataDir, libraryDataDir, resolveDataDir } from './data-dir';

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

describe('libraryDataDir', () => {
  it('uses the desktop app library on Linux when only it exists, and the chosen one otherwise', () => {
    const home = mkdtempSync(join(tmpdir(), 'eno-home-'));
    try {
      const opts = { home, env: {}, platform: 'linux' as const };
      expect(desktopAppDataDir(opts)).toBe(join(home, '.config', 'eno'));
      expect(libraryDataDir(opts)).toBe(join(home, '.local', 'share', 'eno'));
      mkdirSync(join(home, '.config', 'eno'), { recursive: true });
      writeFileSync(join(home, '.config', 'eno', 'eno.db'), '');
      expect(libraryDataDir(opts)).toBe(join(home, '.config', 'eno'));
      expect(libraryDataDir({ ...opts, explicit: '/srv/music-lib' })).toBe('/srv/music-lib');
      mkdirSync(join(home, '.local', 'share', 'eno'), { recursive: true });
      writeFileSync(join(home, '.local', 'share', 'eno', 'eno.db'), '');
      expect(libraryDataDir(opts)).toBe(join(home, '.local', 'share', 'eno'));
    } finally {
      rmSync(home, { recursive: true, force: true });
    }
  });
});
