// `npm start`: builds, then opens the desktop app. Where the Electron binary is missing (it is
// downloaded from GitHub at install time), says so and runs browser mode (`eno serve`) instead.
import { spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { electronBinary, ROOT } from './electron-binary.mjs';

const built = spawnSync(process.execPath, [join(ROOT, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js'), 'build'], {
  cwd: ROOT,
  stdio: ['ignore', 'ignore', 'inherit'],
});
if (built.status !== 0) {
  process.stderr.write('eno: the build failed (see above)\n');
  process.exit(built.status ?? 1);
}

const binary = electronBinary();
const [command, args] = binary.path
  ? [binary.path, [ROOT]]
  : [process.execPath, [join(ROOT, 'out', 'main', 'cli.js'), 'serve', ...process.argv.slice(2)]];
if (!binary.path) {
  process.stderr.write(
    `eno: no desktop window: ${binary.missing}.\n` +
      'eno: starting browser mode instead; open the address below in a browser on this machine.\n' +
      'eno: (to get the window, run "npm install" again on a machine that can reach github.com)\n',
  );
}
const child = spawn(command, args, { cwd: ROOT, stdio: 'inherit' });
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 130 : 1)));
