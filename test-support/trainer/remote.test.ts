// `train --remote`: the task goes to the "default" queue with what an agent needs (the entry script,
// the pinned requirements, the config on the task), and an agent's run of it (the SDK under
// CLEARML_TASK_ID, as clearml-agent starts it) trains with that config and publishes.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isObject, type JsonObject } from '../clearml-server/api-error';
import { testClient } from '../clearml-server/fixtures';
import { sdkEnv } from '../clearml-server/python-sdk';
import { queuesOf } from '../clearml-server/queues-api';
import { REPO_ROOT } from '../fixtures';
import { runTrainerPython, TRAINER_DIR, uploadSyntheticCorrections, useTrainerServer } from './trainer-python';

const ctx = useTrainerServer('eno-trainer-remote-');

describe('train --remote', () => {
  it('enqueues the task for an agent, which runs it with the stored config and publishes', async () => {
    const env = sdkEnv(ctx.server, join(ctx.dir, 'home'));
    await uploadSyntheticCorrections(ctx.server, join(ctx.dir, 'corrections'), join(ctx.dir, 'home-sdk'), env);
    const local = await runTrainerPython(
      [join(TRAINER_DIR, 'train.py'), '--config', 'small', '--remote', 'training.max_epochs=7', `export.out_dir=${join(ctx.dir, 'out')}`],
      env,
    );
    expect(local.code, local.output).toBe(0);
    const taskId = /task ([0-9a-f]{32}) on .* goes to queue 'default'/.exec(local.output)?.[1];
    expect(taskId).toBeDefined();
    expect(local.output).not.toMatch(/training \d+ tag/);

    const task = ctx.server.state.tasks.get(taskId!)!;
    const defaultQueue = [...queuesOf(ctx.server.state).values()].find((q) => q.name === 'default')!;
    expect(task).toMatchObject({ status: 'queued', type: 'training', execution: { queue: defaultQueue.id } });
    expect((defaultQueue.entries as JsonObject[]).map((e) => e.task)).toEqual([taskId]);
    const script = task.script as JsonObject;
    expect(script).toMatchObject({ entry_point: 'trainer/train.py', working_dir: '.' });
    const pip = String((script.requirements as JsonObject).pip);
    expect(pip).toContain('torch==2.15.0');
    expect(pip).toContain('clearml==2.1.12');
    const config = isObject(task.configuration) ? (task.configuration['trainer config'] as JsonObject) : {};
    expect(String(config.value)).toMatch(/max_epochs: 7/);

    // The agent: takes the task off the queue and runs its entry script with CLEARML_TASK_ID set.
    const entry = await testClient(ctx.server).call<{ entry: { task: string } }>('queues.get_next_task', { queue: defaultQueue.id });
    expect(entry.entry.task).toBe(taskId);
    const agent = await runTrainerPython([join(REPO_ROOT, String(script.entry_point))], { ...env, CLEARML_TASK_ID: taskId });
    expect(agent.code, agent.output.slice(-4000)).toBe(0);
    expect(agent.output).toMatch(/trained 7 epochs/);
    expect(agent.output).toMatch(/model [0-9a-f]{32} published/);
    // Under an agent the script leaves the status to the agent, which completes it when it exits 0.
    expect(ctx.server.state.tasks.get(taskId!)).toMatchObject({ status: 'in_progress' });
    await testClient(ctx.server).call('tasks.completed', { task: taskId, status_reason: 'worker finished' });
    expect(ctx.server.state.tasks.get(taskId!)).toMatchObject({ status: 'completed' });
  }, 20 * 60_000);
});
