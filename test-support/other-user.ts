// Runs a TypeScript script as a user without root's powers, so permission tests are real even when
// the tests run as root (root can read a chmod 000 file).
import { spawnSync } from 'node:child_process';
import { chmodSync } from 'node:fs';
import { REPO_ROOT } from './fixtures';

/** The uid/gid to run as: "nobody" when we are root, else ourselves. */
export function unprivilegedIds(): { uid?: number; gid?: number } {
  return process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : {};
}

/** Lets other users traverse and read a temporary folder (mkdtemp makes it private). */
export function shareWithOtherUsers(dir: string): void {
  chmodSync(dir, 0o755);
}

/** Runs `node --import tsx script args...` from the repository as an unprivileged user. */
export function runTsUnprivileged(script: string, args: string[], env: NodeJS.ProcessEnv = {}) {
  return spawnSync(process.execPath, ['--import', 'tsx', script, ...args], {
    cwd: REPO_ROOT,
    encoding: 'utf8',
    env: { ...process.env, HOME: '/tmp', ...env },
    ...unprivilegedIds(),
    timeout: 120_000,
  });
}
