// Runs the real `eno` command from the sources in a child process, as a user would.
import { spawn, type SpawnOptions } from 'node:child_process';
import { REPO_ROOT } from './fixtures';

export interface CliRun {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

export const CLI_ENTRY = 'src-main/cli/entry.ts';

/** Starts `eno args...`; `onStdout`/`onStderr` see output as it arrives. */
export function startCli(
  args: readonly string[],
  options: SpawnOptions & { onStderr?: (text: string) => void } = {},
): { child: ReturnType<typeof spawn>; done: Promise<CliRun> } {
  const child = spawn(process.execPath, ['--import', 'tsx', CLI_ENTRY, ...args], {
    cwd: REPO_ROOT,
    ...options,
    env: { ...process.env, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.setEncoding('utf8').on('data', (t: string) => (stdout += t));
  child.stderr!.setEncoding('utf8').on('data', (t: string) => {
    stderr += t;
    options.onStderr?.(t);
  });
  const done = new Promise<CliRun>((resolve) =>
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr })),
  );
  return { child, done };
}

/** Runs `eno args...` to completion. */
export function runCli(args: readonly string[], options: SpawnOptions = {}): Promise<CliRun> {
  return startCli(args, options).done;
}
