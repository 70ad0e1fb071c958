// Where eno keeps its database: the first of an explicit option (--data-dir), ENO_DATA_DIR,
// Electron's userData folder, and the platform's usual place for application data.
import { existsSync, mkdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

/** The folder name under the platform's application-data place. */
export const APP_FOLDER_NAME = 'eno';

/** Where the data folder may come from, highest priority first. */
export interface DataDirOptions {
  /** --data-dir on the command line. */
  readonly explicit?: string;
  /** Electron's app.getPath('userData'), passed in by the Electron glue (the core never asks Electron). */
  readonly electronUserData?: string;
  readonly env?: NodeJS.ProcessEnv;
  readonly platform?: NodeJS.Platform;
  readonly home?: string;
}

/** The data folder the options point to, as an absolute path; nothing is created. */
export function resolveDataDir(options: DataDirOptions = {}): string {
  const env = options.env ?? process.env;
  const home = options.home ?? homedir();
  if (options.explicit) return resolve(options.explicit);
  if (env.ENO_DATA_DIR) return resolve(env.ENO_DATA_DIR);
  if (options.electronUserData) return resolve(options.electronUserData);
  switch (options.platform ?? process.platform) {
    case 'darwin':
      return join(home, 'Library', 'Application Support', APP_FOLDER_NAME);
    case 'win32':
      return join(env.APPDATA || join(home, 'AppData', 'Roaming'), APP_FOLDER_NAME);
    default:
      // XDG: an empty or relative XDG_DATA_HOME is to be ignored.
      return env.XDG_DATA_HOME?.startsWith('/')
        ? join(env.XDG_DATA_HOME, APP_FOLDER_NAME)
        : join(home, '.local', 'share', APP_FOLDER_NAME);
  }
}

/**
 * Where the desktop app keeps its library when nothing was chosen (Electron's userData). The same
 * as the default above on macOS and Windows; on Linux Electron uses the XDG config folder.
 */
export function desktopAppDataDir(options: Pick<DataDirOptions, 'env' | 'home' | 'platform'> = {}): string {
  const env = options.env ?? process.env;
  const home = options.home ?? homedir();
  if ((options.platform ?? process.platform) !== 'linux') return resolveDataDir({ ...options, env: { ...env, ENO_DATA_DIR: '' } });
  return env.XDG_CONFIG_HOME?.startsWith('/') ? join(env.XDG_CONFIG_HOME, APP_FOLDER_NAME) : join(home, '.config', APP_FOLDER_NAME);
}

/**
 * The library a command acts on when it means "the app's library" (eno upload, eno models): the
 * chosen one, else the default, else — when only the desktop app has a library — the desktop app's.
 */
export function libraryDataDir(options: DataDirOptions = {}): string {
  const chosen = resolveDataDir(options);
  if (options.explicit || (options.env ?? process.env).ENO_DATA_DIR) return chosen;
  const desktop = desktopAppDataDir(options);
  return !existsSync(join(chosen, 'eno.db')) && existsSync(join(desktop, 'eno.db')) ? desktop : chosen;
}

/** Resolves the data folder and creates it (and its parents) when missing. */
export function ensureDataDir(options: DataDirOptions = {}): string {
  const dir = resolveDataDir(options);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  return dir;
}
