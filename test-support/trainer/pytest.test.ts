// The trainer's own tests (pytest, trainer/tests) as part of `npm test`: data merge and split,
// metrics and thresholds, export check and the bad inputs, on synthetic datasets in seconds; and
// ruff over the trainer's code.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runTrainerPython, TRAINER_DIR } from './trainer-python';

describe('trainer (pytest)', () => {
  it('passes its own tests', async () => {
    const run = await runTrainerPython(['-m', 'pytest', '-p', 'no:cacheprovider', join(TRAINER_DIR, 'tests')], { ...process.env });
    process.stdout.write(run.output.split('\n').slice(-15).join('\n'));
    expect(run.output).toMatch(/\d+ passed/);
    expect(run.code, run.output.slice(-6000)).toBe(0);
  }, 40 * 60_000);

  it('is ruff clean', async () => {
    const run = await runTrainerPython(['-m', 'ruff', 'check', '--no-cache', TRAINER_DIR], { ...process.env });
    expect(run.code, run.output).toBe(0);
  }, 10 * 60_000);
});
