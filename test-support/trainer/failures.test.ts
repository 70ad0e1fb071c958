// The trainer against a ClearML server that is not there, a project with no corrections yet, and
// runs that are stopped (SIGTERM) or killed (SIGKILL) midway: each ends with a clear message and a
// non-zero exit, and nothing is published until a run finishes with its export check passed.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { listPublishedModels } from '../../src-main/clearml/models';
import { testClient } from '../clearml-server/fixtures';
import { sdkEnv } from '../clearml-server/python-sdk';
import { startTestServer } from '../clearml-server/server';
import { runTrainerPython, TRAINER_DIR, uploadSyntheticCorrections, useTrainerServer } from './trainer-python';

const ctx = useTrainerServer('eno-trainer-failures-');

const env = (): NodeJS.ProcessEnv => sdkEnv(ctx.server, join(ctx.dir, 'home'));
const train = (extra: readonly string[] = [], onOutput?: Parameters<typeof runTrainerPython>[2]) =>
  runTrainerPython([join(TRAINER_DIR, 'train.py'), '--config', 'small', `export.out_dir=${join(ctx.dir, 'out')}`, ...extra], env(), onOutput);

async function published(): Promise<string[]> {
  const listed = await listPublishedModels(testClient(ctx.server));
  if (!listed.ok) throw new Error(listed.error.message);
  return listed.value.map((m) => m.id);
}

describe('the trainer when things go wrong', () => {
  it('says the server cannot be reached', async () => {
    const down = await startTestServer();
    const url = down.apiUrl;
    await down.stop();
    const run = await runTrainerPython([join(TRAINER_DIR, 'train.py')], { ...env(), CLEARML_API_HOST: url });
    expect(run.code).toBe(4);
    expect(run.output).toContain(`train: error: cannot reach the ClearML server at ${url}`);
  }, 10 * 60_000);

  it('says there are no corrections yet', async () => {
    const run = await train();
    expect(run.code, run.output).toBe(3);
    expect(run.output).toMatch(/train: error: eno\/corrections: no finalized dataset version on the ClearML server/);
    expect(await published()).toEqual([]);
  }, 10 * 60_000);

  it('publishes nothing from a stopped or killed run; a later run publishes, and the next one compares with it', async () => {
    await uploadSyntheticCorrections(ctx.server, join(ctx.dir, 'corrections'), join(ctx.dir, 'home-sdk'), env());

    const stopAt = (signal: NodeJS.Signals) => (soFar: string, child: { kill: (s: NodeJS.Signals) => boolean }) => {
      if (/training 3 tag\(s\)/.test(soFar) && !(child as { stopped?: boolean }).stopped) {
        (child as { stopped?: boolean }).stopped = true;
        child.kill(signal);
      }
    };
    const stopped = await train(['training.max_epochs=100000', 'training.patience=100000'], stopAt('SIGTERM'));
    expect(stopped.code, stopped.output.slice(-3000)).toBe(130);
    expect(stopped.output).toContain('train: error: interrupted by SIGTERM; nothing was published');
    const stoppedTask = [...ctx.server.state.tasks.values()].filter((t) => t.type === 'training').at(-1)!;
    expect(stoppedTask.status).toBe('failed');

    const killed = await train(['training.max_epochs=100000', 'training.patience=100000'], stopAt('SIGKILL'));
    expect(killed.signal).toBe('SIGKILL');
    expect(await published()).toEqual([]);
    expect([...ctx.server.state.models.values()].filter((m) => m.ready)).toEqual([]);

    const ok = await train();
    expect(ok.code, ok.output.slice(-3000)).toBe(0);
    const id = /model ([0-9a-f]{32}) published/.exec(ok.output)?.[1];
    expect(await published()).toEqual([id]);

    // The next run scores that model on its validation set next to the new head.
    const next = await train();
    expect(next.code, next.output.slice(-3000)).toBe(0);
    expect(next.output).toMatch(new RegExp(`previous eno-musicnn-msd 2\\.0\\.\\d+ \\(${id}\\)\\s+classical\\s+\\d\\.\\d{3}`));
    expect(await published()).toHaveLength(2);
  }, 20 * 60_000);
});
