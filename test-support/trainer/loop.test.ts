// The whole retraining loop on real clips, as a person and the GPU box would run it: label the shared
// clips with a tag the model does not know ("classical") in an app library, `eno upload`, train the
// small config against the ClearML test server, `eno models list|pull|use`, let the app re-tag, and
// see the new tag predicted on the labelled classical clips and on unlabelled classical music.
import { readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppCore } from '../../src-main/core/app-core';
import { runCli } from '../cli';
import { eventsOf } from '../clearml-server/events-api';
import { sdkEnv } from '../clearml-server/python-sdk';
import { startTestServer, type TestServer } from '../clearml-server/server';
import { sharedClip, SHARED_AUDIO, tempDir } from '../fixtures';
import { query, untilQueueIdle } from '../library-harness';
import { runTrainerPython, TRAINER_DIR, trainerPython } from './trainer-python';

const LABELLED = join(SHARED_AUDIO, '..', 'labelled');
const GENRES = ['classical', 'electronic', 'pop', 'rock'];
/** Clips 1-7 of each genre are reviewed and uploaded; 8-10 stay unlabelled. */
const REVIEWED = [1, 2, 3, 4, 5, 6, 7];
const UNLABELLED_CLASSICAL = [
  ...[8, 9, 10].map((n) => join(LABELLED, `emotify-classical-${n}.mp3`)),
  sharedClip('music/Hungarian_Dance_number_5_-_Allegro_in_F_sharp_minor_(string_orchestra).ogg'),
  sharedClip('music/Kevin_MacLeod_-_P_I_Tchaikovsky_Dance_of_the_Sugar_Plum_Fairy.ogg'),
];
const OTHER_UNLABELLED = [sharedClip('music/bensound-dubstep.mp3'), sharedClip('music/Kevin_MacLeod_-_Vibe_Ace.ogg')];

const tmp = tempDir('eno-trainer-loop-');
const dataDir = join(tmp.dir, 'library');
let server: TestServer;

beforeAll(async () => {
  trainerPython(); // builds the venv the first time on this machine
  server = await startTestServer();
}, 45 * 60_000);
afterAll(async () => {
  await server?.stop();
  tmp.cleanup();
});

function clearmlEnv(): NodeJS.ProcessEnv {
  return sdkEnv(server, join(tmp.dir, 'home'));
}

/** Labels the reviewed clips in the app (its core, as the window would): "classical" on the
 * classical ones, every one marked reviewed. */
async function labelClips(): Promise<number> {
  const core = await AppCore.open({ dataDir, transport: 'browser', appVersion: '0.1.0-test', log: () => undefined, ep: 'cpu' });
  try {
    const library = core.library;
    await untilQueueIdle(library);
    const byFile = new Map(library.queryTracks(query()).rows.map((r) => [basename(r.path ?? ''), r.id]));
    const reviewed = GENRES.flatMap((g) => REVIEWED.map((n) => byFile.get(`emotify-${g}-${n}.mp3`)!));
    const classical = REVIEWED.map((n) => byFile.get(`emotify-classical-${n}.mp3`)!);
    expect(reviewed.every((id) => id !== undefined)).toBe(true);
    library.label({ trackIds: classical, action: 'add', tag: 'classical' });
    library.setReviewed({ trackIds: reviewed, reviewed: true });
    return reviewed.length;
  } finally {
    await core.close();
  }
}

/** The active model's score and threshold of `tag` on each file, after the app re-tagged. */
async function retagAndScore(files: readonly string[], tag: string): Promise<Map<string, { score: number; threshold: number; model: string }>> {
  const core = await AppCore.open({ dataDir, transport: 'browser', appVersion: '0.1.0-test', log: () => undefined, ep: 'cpu' });
  try {
    await untilQueueIdle(core.library, 10 * 60_000);
    const out = new Map<string, { score: number; threshold: number; model: string }>();
    for (const row of core.library.queryTracks(query()).rows) {
      if (!files.includes(row.path ?? '')) continue;
      const detail = core.library.getTrack({ id: row.id });
      const predicted = detail.prediction?.tags.find((t) => t.tag === tag);
      out.set(row.path!, { score: predicted?.score ?? -1, threshold: predicted?.threshold ?? 2, model: `${detail.prediction?.modelId} ${detail.prediction?.modelVersion}` });
    }
    return out;
  } finally {
    await core.close();
  }
}

describe('the retraining loop', () => {
  it('turns labelled clips into a model that predicts the new tag', async () => {
    const loopStarted = performance.now();
    const reviewedFiles = GENRES.flatMap((g) => REVIEWED.map((n) => join(LABELLED, `emotify-${g}-${n}.mp3`)));
    const allFiles = [...reviewedFiles, ...UNLABELLED_CLASSICAL, ...OTHER_UNLABELLED];
    const tagged = await runCli(['tag', ...allFiles, '--data-dir', dataDir, '--out', join(tmp.dir, 'first.jsonl'), '--ep', 'cpu']);
    expect(tagged.code, tagged.stderr).toBe(0);
    expect(await labelClips()).toBe(28);

    const upload = await runCli(['upload', '--data-dir', dataDir], { env: clearmlEnv() });
    expect(upload.code, upload.stderr).toBe(0);
    expect(upload.stdout).toMatch(/^28 corrected track\(s\) to upload; new tags: classical/);

    const outputs = join(tmp.dir, 'outputs');
    const train = await runTrainerPython(
      [join(TRAINER_DIR, 'train.py'), '--config', 'small', `export.out_dir=${outputs}`, 'data.categories.classical=genre'],
      clearmlEnv(),
    );
    process.stdout.write(`\n--- trainer (small config) ---\n${train.output}\n`);
    expect(train.code, train.output.slice(-4000)).toBe(0);
    expect(train.output).toMatch(/training 1 tag\(s\): classical/);
    expect(train.output).toMatch(/export check passed/);
    const modelId = /model ([0-9a-f]{32}) published/.exec(train.output)?.[1];
    expect(modelId).toBeDefined();
    // The figures went to the training task: scalars per tag and overall, the tables, the losses.
    const taskId = String(server.state.models.get(modelId!)!.task);
    const events = eventsOf(server.state).get(taskId) ?? [];
    const scalar = (metric: string, variant: string) => events.find((e) => e.type === 'training_stats_scalar' && e.metric === metric && e.variant === variant);
    expect(scalar('validation PR-AUC', 'classical')?.value).toBeGreaterThan(0.5);
    expect(scalar('validation overall', 'macro_f1')).toBeDefined();
    expect(scalar('loss', 'val_loss')).toBeDefined();
    const tables = events.filter((e) => e.type === 'plot').map((e) => String(e.metric));
    expect(tables).toEqual(expect.arrayContaining(['validation metrics per tag', 'comparison on the validation set']));
    expect(server.state.tasks.get(taskId)).toMatchObject({ type: 'training', status: 'completed' });

    const list = await runCli(['models', 'list', '--data-dir', dataDir], { env: clearmlEnv() });
    expect(list.code, list.stderr).toBe(0);
    expect(list.stdout).toContain(`${modelId}  eno-musicnn-msd 2.0.`);
    expect(list.stdout).toMatch(/validation: macro PR-AUC \d\.\d{3}, macro F1 \d\.\d{3}.*classical PR-AUC \d\.\d\d F1 \d\.\d\d/);
    const pull = await runCli(['models', 'pull', modelId!, '--data-dir', dataDir], { env: clearmlEnv() });
    expect(pull.code, pull.stderr).toBe(0);
    const key = /installed eno-musicnn-msd \S+ in .*[\\/]([^\\/]+)\n/.exec(pull.stdout)?.[1];
    expect(key).toBeDefined();
    const use = await runCli(['models', 'use', key!, '--data-dir', dataDir]);
    expect(use.code, use.stderr).toBe(0);

    const scores = await retagAndScore(allFiles, 'classical');
    const line = (f: string): string => {
      const s = scores.get(f);
      return `  ${basename(f).padEnd(72)} ${s ? `${s.score.toFixed(3)} (threshold ${s.threshold.toFixed(3)}) ${s.model}` : 'missing'}`;
    };
    process.stdout.write(`\n--- "classical" after re-tagging with the pulled model ---\n${allFiles.map(line).join('\n')}\n`);
    for (const f of allFiles) expect(scores.get(f)?.model, f).toMatch(/^eno-musicnn-msd 2\.0\./);
    const above = (f: string): boolean => scores.get(f)!.score >= scores.get(f)!.threshold;
    const labelledClassical = reviewedFiles.filter((f) => f.includes('-classical-'));
    const labelledOther = reviewedFiles.filter((f) => !f.includes('-classical-'));
    expect(labelledClassical.filter(above).length).toBeGreaterThanOrEqual(labelledClassical.length - 1);
    expect(labelledOther.filter(above).length).toBeLessThanOrEqual(2);
    expect(UNLABELLED_CLASSICAL.filter(above).length).toBeGreaterThanOrEqual(1);

    const manifest = JSON.parse(readFileSync(join(dataDir, 'models', key!, 'eno-model.json'), 'utf8')) as { tags: Array<{ name: string; category: string }> };
    expect(manifest.tags.length).toBe(51);
    expect(manifest.tags.at(-1)).toMatchObject({ name: 'classical', category: 'genre' });
    process.stdout.write(`\ntrainer run (small config): ${train.seconds.toFixed(1)} s; whole loop: ${((performance.now() - loopStarted) / 1000).toFixed(1)} s\n`);
  }, 45 * 60_000);
});
