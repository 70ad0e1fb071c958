// Whether the Electron binary is installed, and why not. Shared by postinstall and start.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('..', import.meta.url));

/** Returns { path } when the binary is present, else { missing: reason }. */
export function electronBinary() {
  const dir = join(ROOT, 'node_modules', 'electron');
  if (!existsSync(join(dir, 'package.json'))) return { missing: 'the electron package is not installed' };
  const pathTxt = join(dir, 'path.txt');
  if (!existsSync(pathTxt)) return { missing: 'the Electron binary was not downloaded (it comes from GitHub at install time)' };
  const exe = join(dir, 'dist', readFileSync(pathTxt, 'utf8').trim());
  return existsSync(exe) ? { path: exe } : { missing: `the Electron binary is missing at ${exe}` };
}
