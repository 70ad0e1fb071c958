// Runs a child script of the crash tests and kills it with SIGKILL when a line of its output says so.
import { spawn } from 'node:child_process';
import { REPO_ROOT } from './fixtures';

/** Runs a child script; `onLine` sees each stdout line and returns true to kill the child with SIGKILL. */
export function runUntilKilled(script: string, args: string[], onLine: (line: string) => boolean): Promise<{ lines: string[]; signal: string | null; stderr: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', script, ...args], { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  const lines: string[] = [];
  let buffered = '';
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (t: string) => (stderr += t));
  child.stdout.setEncoding('utf8').on('data', (text: string) => {
    buffered += text;
    let nl;
    while ((nl = buffered.indexOf('\n')) >= 0) {
      const line = buffered.slice(0, nl);
      buffered = buffered.slice(nl + 1);
      if (child.killed) continue;
      lines.push(line);
      if (onLine(line)) child.kill('SIGKILL');
    }
  });
  return new Promise((resolve) => child.on('close', (_code, signal) => resolve({ lines, signal, stderr })));
}

