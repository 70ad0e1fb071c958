// Runs scikit-learn (the pinned venv from test-support/sklearn/) on a logistic-regression problem,
// the reference the learned-tag classifier is checked against.
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from './fixtures';

let python: string | undefined;

/** The venv's python, creating the venv on first use. */
export function sklearnPython(): string {
  if (python) return python;
  const run = spawnSync('bash', [join(REPO_ROOT, 'test-support', 'sklearn', 'venv.sh')], {
    encoding: 'utf8',
    timeout: 15 * 60_000,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const last = run.stdout.trim().split('\n').pop();
  if (run.status !== 0 || !last) throw new Error(`test-support/sklearn/venv.sh failed (exit ${run.status}):\n${run.stderr.slice(-4000)}`);
  python = last;
  return python;
}

/** What scikit-learn's LogisticRegression fitted. */
export interface SklearnLogistic {
  readonly probability: number[];
  readonly coef: number[];
  readonly intercept: number;
  readonly iterations: number;
}

/** Fits LogisticRegression(C, lbfgs) with sample weights and scores the query rows. */
export function sklearnLogistic(
  workDir: string,
  problem: { x: number[][]; y: number[]; sampleWeight: number[]; c: number; query: number[][] },
): SklearnLogistic {
  const file = join(workDir, `logistic-${Date.now()}-${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(file, JSON.stringify({ x: problem.x, y: problem.y, sample_weight: problem.sampleWeight, c: problem.c, query: problem.query }));
  const run = spawnSync(sklearnPython(), [join(REPO_ROOT, 'test-support', 'sklearn', 'logistic_reference.py'), file], {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  if (run.status !== 0) throw new Error(`logistic_reference.py failed: ${run.stderr.slice(-2000)}`);
  return JSON.parse(run.stdout) as SklearnLogistic;
}
