// Runs the official ClearML SDK (the pinned venv from clearml-interop/) against a test server, for
// interop tests. The SDK is configured only through environment variables and a throw-away HOME,
// so it never reads or writes the user's ~/clearml.conf or cache.
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from '../fixtures';
import type { TestServer } from './server';

export const INTEROP_DIR = join(REPO_ROOT, 'clearml-interop');

let python: string | undefined;

/** The venv's python, creating the venv on first use (a minute or so the very first time). */
export function clearmlPython(): string {
  if (python) return python;
  const run = spawnSync('bash', [join(INTEROP_DIR, 'venv.sh')], { encoding: 'utf8', timeout: 15 * 60_000, stdio: ['ignore', 'pipe', 'pipe'] });
  const last = run.stdout.trim().split('\n').pop();
  if (run.status !== 0 || !last) {
    throw new Error(`clearml-interop/venv.sh failed (exit ${run.status}):\n${run.stderr.slice(-4000)}`);
  }
  python = last;
  return python;
}

/** Environment that points the SDK at the test server and nowhere else. */
export function sdkEnv(server: TestServer, homeDir: string): NodeJS.ProcessEnv {
  mkdirSync(homeDir, { recursive: true });
  const configFile = join(homeDir, 'clearml.conf');
  writeFileSync(configFile, '# interop test: everything comes from the environment\n');
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (!/^(CLEARML|TRAINS)_/.test(key)) env[key] = value;
  }
  return {
    ...env,
    HOME: homeDir,
    CLEARML_CONFIG_FILE: configFile,
    CLEARML_API_HOST: server.apiUrl,
    CLEARML_WEB_HOST: server.webUrl,
    CLEARML_FILES_HOST: server.filesUrl,
    CLEARML_API_ACCESS_KEY: server.credentials.accessKey,
    CLEARML_API_SECRET_KEY: server.credentials.secretKey,
    PYTHONUNBUFFERED: '1',
  };
}

/**
 * Runs clearml-interop/<script> with `args` plus an output file, asynchronously (the test server
 * lives in this process and must keep answering), and returns the JSON the script wrote.
 */
export async function runSdkScript<T>(server: TestServer, homeDir: string, script: string, args: readonly string[]): Promise<T> {
  const out = join(homeDir, `${script}.${Date.now()}.out.json`);
  const child = spawn(clearmlPython(), [join(INTEROP_DIR, script), ...args, out], {
    env: sdkEnv(server, homeDir),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.setEncoding('utf8').on('data', (t: string) => (output += t));
  child.stderr.setEncoding('utf8').on('data', (t: string) => (output += t));
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  if (code !== 0) {
    const unknown = [...server.state.unknownEndpoints];
    throw new Error(`${script} exited ${code}${unknown.length ? ` (unknown endpoints: ${unknown.join(', ')})` : ''}:\n${output.slice(-6000)}`);
  }
  return JSON.parse(readFileSync(out, 'utf8')) as T;
}
