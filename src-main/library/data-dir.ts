// Where eno keeps its database: the first of an explicit option (--data-dir), ENO_DATA_DIR,
// Electron's userData folder, and the platform's usual place for application data.
import { mkdirSync } from 'node:fs';
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

/** Resolves the data folder and creates it (and its parents) when missing. */
export function ensureDataDir(options: DataDirOptions = {}): string {
  const dir = resolveDataDir(options);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  return dir;
}
