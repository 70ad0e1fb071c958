// Runs eno's trainer (trainer/, PyTorch and the ClearML SDK in their pinned venv) from tests: the
// venv is created on first use (minutes the first time on a machine, then reused from its cache).
import { spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { runSdkScript } from '../clearml-server/python-sdk';
import { afterAll, beforeAll } from 'vitest';
import { startTestServer, type TestServer } from '../clearml-server/server';
import { REPO_ROOT, tempDir } from '../fixtures';

export const TRAINER_DIR = join(REPO_ROOT, 'trainer');

let python: string | undefined;

/** The trainer venv's python, creating the venv on first use. */
export function trainerPython(): string {
  if (python) return python;
  const started = Date.now();
  const run = spawnSync('bash', [join(TRAINER_DIR, 'venv.sh')], { encoding: 'utf8', timeout: 40 * 60_000, stdio: ['ignore', 'pipe', 'pipe'] });
  const last = run.stdout.trim().split('\n').pop();
  if (run.status !== 0 || !last) throw new Error(`trainer/venv.sh failed (exit ${run.status}):\n${run.stderr.slice(-4000)}`);
  if (/creating|updating/.test(run.stderr)) process.stdout.write(`trainer venv built in ${((Date.now() - started) / 1000).toFixed(0)} s\n`);
  python = last;
  return python;
}

export interface PythonRun {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly output: string;
  readonly seconds: number;
}

/**
 * Runs `python args...` with the trainer venv, asynchronously (a test server in this process must
 * keep answering); `onOutput` sees the output as it arrives (e.g. to kill the run at some point).
 */
export function runTrainerPython(
  args: readonly string[],
  env: NodeJS.ProcessEnv,
  onOutput?: (soFar: string, child: ReturnType<typeof spawn>) => void,
): Promise<PythonRun> {
  const started = performance.now();
  const child = spawn(trainerPython(), [...args], { cwd: REPO_ROOT, env: { ...env, PYTHONUNBUFFERED: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const take = (t: string): void => {
    output += t;
    onOutput?.(output, child);
  };
  child.stdout.setEncoding('utf8').on('data', take);
  child.stderr.setEncoding('utf8').on('data', take);
  return new Promise((resolve) =>
    child.on('close', (code, signal) => resolve({ code, signal, output, seconds: (performance.now() - started) / 1000 })),
  );
}

/**
 * Writes a synthetic corrections dataset (trainer/tests/synthetic.py: three learnable new tags) to
 * `folder` and uploads it to the test server with the official SDK as eno/corrections.
 */
export async function uploadSyntheticCorrections(server: TestServer, folder: string, homeDir: string, env: NodeJS.ProcessEnv): Promise<void> {
  const code = [
    'import sys',
    `sys.path.insert(0, ${JSON.stringify(join(TRAINER_DIR, 'tests'))})`,
    'from pathlib import Path',
    'from synthetic import genre_tracks, write_version',
    'write_version(Path(sys.argv[1]), "1.0.0", genre_tracks())',
  ].join('\n');
  const made = await runTrainerPython(['-c', code, folder], env);
  if (made.code !== 0) throw new Error(`synthetic corrections: ${made.output}`);
  await runSdkScript(server, homeDir, 'create_dataset.py', ['eno', 'corrections', folder]);
}

/** What a trainer test file runs against: its temporary folder and a test ClearML server. */
export interface TrainerServer {
  readonly dir: string;
  readonly server: TestServer;
}

/**
 * Sets up a trainer test file: the trainer's venv (made once per machine, slow the first time) and
 * a test ClearML server before its tests, the server stopped and the folder removed after them.
 */
export function useTrainerServer(prefix: string): TrainerServer {
  const tmp = tempDir(prefix);
  let server: TestServer | undefined;
  beforeAll(async () => {
    trainerPython();
    server = await startTestServer();
  }, 45 * 60_000);
  afterAll(async () => {
    await server?.stop();
    tmp.cleanup();
  });
  return {
    dir: tmp.dir,
    get server(): TestServer {
      if (!server) throw new Error('the test ClearML server is not started yet');
      return server;
    },
  };
}
