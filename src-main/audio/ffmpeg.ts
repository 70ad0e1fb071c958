// Finds the ffmpeg binary the decoder runs: ENO_FFMPEG if set, else ffmpeg on PATH, else the static
// binary shipped by the @ffmpeg-installer npm package.
import { accessSync, constants, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { delimiter, join } from 'node:path';

export type FfmpegSource = 'env' | 'system' | 'bundled';

export interface FfmpegBinary {
  readonly path: string;
  readonly source: FfmpegSource;
}

let cached: FfmpegBinary | undefined;

function isExecutableFile(path: string): boolean {
  try {
    if (!statSync(path).isFile()) return false;
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** Looks a command up on PATH the way a shell would; returns its full path or undefined. */
export function findOnPath(command: string, pathVar = process.env.PATH ?? ''): string | undefined {
  const names = process.platform === 'win32' ? [`${command}.exe`, command] : [command];
  for (const dir of pathVar.split(delimiter)) {
    if (!dir) continue;
    for (const name of names) {
      const candidate = join(dir, name);
      if (isExecutableFile(candidate)) return candidate;
    }
  }
  return undefined;
}

function bundledFfmpeg(): string | undefined {
  try {
    const require = createRequire(import.meta.url);
    const installer = require('@ffmpeg-installer/ffmpeg') as { path: string };
    // Inside a packaged app the binary is unpacked next to the asar archive.
    const path = installer.path.replace(`app.asar${'/'}`, `app.asar.unpacked/`);
    return isExecutableFile(path) ? path : undefined;
  } catch {
    return undefined;
  }
}

/** Resolves the ffmpeg binary once per process; throws a user-facing message when there is none. */
export function resolveFfmpeg(): FfmpegBinary {
  if (cached) return cached;
  const fromEnv = process.env.ENO_FFMPEG;
  if (fromEnv) {
    if (!isExecutableFile(fromEnv)) throw new Error(`ENO_FFMPEG points at ${fromEnv}, which is not an executable file`);
    cached = { path: fromEnv, source: 'env' };
    return cached;
  }
  const system = findOnPath('ffmpeg');
  if (system) {
    cached = { path: system, source: 'system' };
    return cached;
  }
  const bundled = bundledFfmpeg();
  if (bundled) {
    cached = { path: bundled, source: 'bundled' };
    return cached;
  }
  throw new Error('ffmpeg was not found: install ffmpeg, or reinstall eno so that its bundled ffmpeg is present');
}
