// The Electron security scanner over the project's sources (main, preload, renderer together, so
// its global checks see the whole app): no high or medium finding.
import { spawnSync } from 'node:child_process';
import { cpSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO_ROOT, tempDir } from '../../test-support/fixtures';

const tmp = tempDir();
afterAll(tmp.cleanup);

/** Splits one CSV line of the scanner's report (quoted fields may contain commas). */
function fields(line: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') {
        cur += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cur += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      out.push(cur.trim());
      cur = '';
    } else cur += c;
  }
  out.push(cur.trim());
  return out;
}

describe('electronegativity', () => {
  it('finds no high or medium issue in the app', () => {
    const app = join(tmp.dir, 'app');
    for (const part of ['src-main', 'src-preload', 'src-renderer', 'package.json']) {
      cpSync(join(REPO_ROOT, part), join(app, part), { recursive: true });
    }
    const report = join(tmp.dir, 'report.csv');
    const electron = (JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { devDependencies: Record<string, string> }).devDependencies.electron!;
    const run = spawnSync(
      process.execPath,
      [join(REPO_ROOT, 'node_modules/@doyensec/electronegativity/dist/index.js'), '-i', app, '-o', report, '-r', '-v', 'false', '-e', electron],
      { encoding: 'utf8', timeout: 300_000 },
    );
    expect(run.status, run.stderr).toBe(0);
    const rows = readFileSync(report, 'utf8').trim().split('\n').slice(1).map(fields);
    expect(rows.length).toBeGreaterThan(0); // the scanner ran and reported (at least low findings)
    const serious = rows.filter((r) => r[1] === 'HIGH' || r[1] === 'MEDIUM').map((r) => `${r[0]} ${r[1]} ${r[3]}:${r[4]} ${r[6]}`);
    expect(serious).toEqual([]);
  }, 300_000);
});
