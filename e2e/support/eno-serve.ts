// Starts the built `eno serve` on a temporary data folder, as a user would, and stops or kills it.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from '../../test-support/fixtures';

export interface EnoServe {
  readonly url: string;
  readonly origin: string;
  readonly child: ChildProcess;
  /** Everything the server printed on stderr so far. */
  log(): string;
  /** Ctrl-C, then waits for the exit. */
  stop(): Promise<number | null>;
  /** kill -9, then waits for the exit. */
  kill9(): Promise<void>;
}

const CLI = join(REPO_ROOT, 'out', 'main', 'cli.js');

/** Starts `eno serve --data-dir <dataDir>` and resolves once it prints its URL. */
export async function startEnoServe(dataDir: string, extraArgs: string[] = [], env: NodeJS.ProcessEnv = {}): Promise<EnoServe> {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run "npm run build" first (npm test does)`);
  const child = spawn(process.execPath, [CLI, 'serve', '--data-dir', dataDir, '--ep', 'cpu', ...extraArgs], {
    cwd: REPO_ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...env },
  });
  let stderr = '';
  child.stderr!.setEncoding('utf8').on('data', (t: string) => (stderr += t));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`eno serve did not start:\n${stderr}`)), 60_000);
    child.stdout!.setEncoding('utf8').on('data', (t: string) => {
      out += t;
      const match = /browser mode at (\S+)/.exec(out);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`eno serve exited with ${code}:\n${stderr}`));
    });
  });
  return {
    url,
    origin: new URL(url).origin,
    child,
    log: () => stderr,
    stop: async () => {
      child.kill('SIGINT');
      return exited;
    },
    kill9: async () => {
      child.kill('SIGKILL');
      await exited;
    },
  };
}
