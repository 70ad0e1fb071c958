// Downloads the Electron binary without letting a failed download fail `npm install`: on a machine
// without access to GitHub the app still runs in browser mode, and `npm start` says so.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { electronBinary, ROOT } from './electron-binary.mjs';

if (process.env.ELECTRON_SKIP_BINARY_DOWNLOAD) process.exit(0);
if (electronBinary().path) process.exit(0);
const result = spawnSync(process.execPath, [join(ROOT, 'node_modules', 'electron', 'install.js')], {
  cwd: join(ROOT, 'node_modules', 'electron'),
  stdio: ['ignore', 'ignore', 'pipe'],
  timeout: 300_000,
  encoding: 'utf8',
});
const status = electronBinary();
if (!status.path) {
  const why = (result.stderr || '').split('\n').find((l) => /Error/.test(l)) ?? `exit code ${result.status}`;
  process.stdout.write(
    `\neno: the Electron binary could not be downloaded (${why.trim()}).\n` +
      'eno: everything else is installed; "npm start" will run eno in your browser instead of a window.\n\n',
  );
}
