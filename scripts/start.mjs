// `npm start`: builds and opens the desktop app; where the Electron binary is missing, says so and
// tells the user what to run instead.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { electronBinary, ROOT } from './electron-binary.mjs';

const run = (args) => spawnSync(process.execPath, args, { cwd: ROOT, stdio: 'inherit' }).status ?? 1;

const binary = electronBinary();
if (binary.path) {
  const built = run([join(ROOT, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js'), 'build']);
  if (built !== 0) process.exit(built);
  const result = spawnSync(binary.path, [ROOT], { cwd: ROOT, stdio: 'inherit' });
  process.exit(result.status ?? 1);
}

process.stderr.write(
  `eno: cannot open the desktop window: ${binary.missing}.\n` +
    'eno: to get it, run "npm install" again on a machine that can reach github.com.\n' +
    'eno: meanwhile, tag files from the command line:\n' +
    '       npm run eno -- tag <files or folders> [--out results.jsonl]\n',
);
process.exit(1);
