// The model set chosen from the window: the AudioSet model (EfficientAT mn04) taken out of the set
// and put back through the contract, on the real engine and real clips. New tags come from the
// models of the set, final tags follow the set at once, the library is re-queued for what the new
// set has not tagged, the choice is
// saved, and a model folder given on the command line keeps the set fixed.
import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_MODEL_DIR, sharedClip, tempDir } from '../../test-support/fixtures';
import type { AppInfo, RequestArg, RequestName, RequestResult, Result } from '../../src-preload/contract';
import { AppCore } from './app-core';
import { loadSettings } from './app-settings';
import { dispatch } from './dispatch';

const tmp = tempDir('eno-core-set-');
const dataDir = join(tmp.dir, 'data');
const music = join(tmp.dir, 'music');
const MUSICNN = 'musicnn-msd';
const MN04 = 'efficientat-mn04';
/** Real tagging with both models: seconds on an idle machine, many times that on a busy one. */
const SLOW_MS = 10 * 60_000;
let core: AppCore;
const notices: string[] = [];
const infos: AppInfo[] = [];

beforeAll(async () => {
  mkdirSync(music);
  copyFileSync(sharedClip('music/sorohanro_-_solo-trumpet-06.ogg'), join(music, 'trumpet.ogg'));
  core = await AppCore.open({ dataDir, transport: 'browser', appVersion: '0.0.0-test', ep: 'cpu', log: () => undefined, clearmlEnv: {}, clearmlHome: join(tmp.dir, 'home') });
  core.subscribe((event, payload) => {
    if (event === 'notice') notices.push((payload as { message: string }).message);
    if (event === 'appInfo') infos.push(payload as AppInfo);
  });
}, 120_000);

afterAll(async () => {
  await core?.close();
  tmp.cleanup();
});

/** Calls a request the way the window does: validated by the contract's schema first. */
async function call<N extends RequestName>(name: N, arg?: RequestArg<N>): Promise<RequestResult<N>> {
  const result = await dispatch(core.handlers, name, arg);
  if (!result.ok) throw new Error(`${name}: ${result.error.message}`);
  return result.value as RequestResult<N>;
}

/** Waits until the tagging queue has nothing left (a limit in time, however slow each look is). */
async function queueIdle(): Promise<void> {
  for (const deadline = Date.now() + SLOW_MS / 2; Date.now() < deadline; ) {
    if ((await call('queueStatus')).state === 'idle') return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('the queue did not finish');
}

/** The models the track view's tags of a track come from. */
async function tagModels(id: number): Promise<string[]> {
  const detail = await call('getTrack', { id });
  return [...new Set(detail.prediction?.tags.map((t) => t.model ?? 'none'))].sort();
}

/** The id of the track of a file in the music folder. */
async function trackId(file: string): Promise<number> {
  const page = await call('queryTracks', { offset: 0, limit: 10 });
  const row = page.rows.find((r) => r.path === join(music, file));
  if (!row) throw new Error(`no track for ${file}`);
  return row.id;
}

describe('the model set chosen in the window', () => {
  it('takes the AudioSet model out and puts it back: new tags follow the set and the library is re-queued', async () => {
    const start = await call('appInfo');
    expect(start.modelSet).toEqual({ models: [expect.objectContaining({ id: MUSICNN }), expect.objectContaining({ id: MN04 })], audioset: true, fixedReason: null });
    await call('addFolder', { path: music });
    await core.library.settled('all');
    await queueIdle();
    const trumpet = await trackId('trumpet.ogg');
    expect(await tagModels(trumpet)).toEqual([MN04, MUSICNN]);
    const before = await call('getTrack', { id: trumpet });
    expect(before.music?.verdict).toBe('music');
    const mn04Final = (before.prediction?.tags ?? []).filter((t) => t.model === MN04 && t.score >= t.threshold && before.finalTags.includes(t.tag)).map((t) => t.tag);

    // Out: musicnn tags alone, the choice is saved, and the window hears of it.
    const off = await call('useModel', { audioset: false });
    expect(off.modelSet).toEqual({ models: [expect.objectContaining({ id: MUSICNN })], audioset: false, fixedReason: null });
    expect(off.model.id).toBe(MUSICNN);
    expect(loadSettings(dataDir).audiosetModel).toBe(false);
    expect(infos.at(-1)).toEqual(off);
    expect(notices.at(-1)).toBe('Now tagging with musicnn (MSD) 1.0.0; 0 track(s) queued for re-tagging');
    expect(await tagModels(trumpet)).toEqual([MUSICNN]);
    // Regression: the table kept mn04's tags and verdict until each track was tagged again. Final
    // tags follow the set's stored predictions at once, and no model of the set judges music now.
    await core.library.settledSet();
    const afterOff = await call('getTrack', { id: trumpet });
    expect(mn04Final.length).toBeGreaterThan(0);
    expect(afterOff.finalTags.filter((t) => mn04Final.includes(t))).toEqual([]);
    expect(afterOff.music?.verdict).toBeNull();
    const row = (await call('queryTracks', { offset: 0, limit: 10 })).rows.find((r) => r.id === trumpet)!;
    expect([...row.genres, ...row.descriptors, ...row.others].map((t) => t.tag).filter((t) => mn04Final.includes(t))).toEqual([]);

    // A track added now is tagged by musicnn alone: no music verdict (only mn04 can tell).
    copyFileSync(sharedClip('music/TRWJAZW128F42760DD_test.mp3'), join(music, 'msd-preview.mp3'));
    await call('addPaths', { paths: [join(music, 'msd-preview.mp3')] });
    await core.library.settled('all');
    await queueIdle();
    const preview = await trackId('msd-preview.mp3');
    expect(await tagModels(preview)).toEqual([MUSICNN]);
    expect((await call('getTrack', { id: preview })).music?.verdict).toBeNull();

    // Back in: mn04's stored tags count again at once; both tracks are queued, the one mn04 never
    // heard for its tags and the other for the verdict the set gives again.
    const on = await call('useModel', { audioset: true });
    expect(on.modelSet.audioset).toBe(true);
    expect(on.modelSet.models.map((m) => m.id)).toEqual([MUSICNN, MN04]);
    expect(loadSettings(dataDir).audiosetModel).toBe(true);
    expect(notices.at(-1)).toBe('Now tagging with musicnn (MSD) 1.0.0 and EfficientAT mn04 (AudioSet) 1.0.0; 2 track(s) queued for re-tagging');
    await queueIdle();
    await core.library.settledSet();
    expect(await tagModels(preview)).toEqual([MN04, MUSICNN]);
    expect((await call('getTrack', { id: preview })).music?.verdict).toBe('music');
    expect(await tagModels(trumpet)).toEqual([MN04, MUSICNN]);
    const afterOn = await call('getTrack', { id: trumpet });
    expect(afterOn.music?.verdict).toBe('music');
    expect(afterOn.finalTags).toEqual(expect.arrayContaining(mn04Final));
  }, SLOW_MS);

  it('runs two changes of the set one after the other, the second on the set the first made', async () => {
    const before = notices.length;
    const [off, on] = await Promise.all([call('useModel', { audioset: false }), call('useModel', { audioset: true })]);
    expect(off.modelSet.audioset).toBe(false);
    expect(on.modelSet.audioset).toBe(true);
    expect((await call('appInfo')).modelSet.audioset).toBe(true);
    expect(notices.slice(before)).toHaveLength(2);
    // Asking for the set already in use swaps nothing and says nothing.
    expect((await call('useModel', { audioset: true })).modelSet.audioset).toBe(true);
    expect(notices.slice(before)).toHaveLength(2);
  }, SLOW_MS);

  it('refuses a request that names neither a model nor the AudioSet choice', async () => {
    const result = await dispatch(core.handlers, 'useModel', {});
    expect(result).toMatchObject({ ok: false, error: { code: 'invalid-argument', message: 'useModel: give a model key, the AudioSet choice, or both' } });
  });

  it('keeps the set fixed when a model folder is given on the command line, saying why', async () => {
    const fixedDir = join(tmp.dir, 'fixed');
    const fixed = await AppCore.open({ dataDir: fixedDir, transport: 'browser', appVersion: '0.0.0-test', modelDir: DEFAULT_MODEL_DIR, ep: 'cpu', log: () => undefined, clearmlEnv: {} });
    try {
      const info = (await dispatch(fixed.handlers, 'appInfo', undefined)) as Result<AppInfo>;
      expect(info.ok && info.value.modelSet).toEqual({
        models: [expect.objectContaining({ id: MUSICNN })],
        audioset: false,
        fixedReason: `eno was started with the model folder ${DEFAULT_MODEL_DIR} (--model), which tags alone`,
      });
      for (const audioset of [true, false]) {
        expect(await dispatch(fixed.handlers, 'useModel', { audioset })).toEqual({
          ok: false,
          error: { code: 'forbidden', message: `The model set cannot be changed: eno was started with the model folder ${DEFAULT_MODEL_DIR} (--model), which tags alone` },
        });
      }
      expect(loadSettings(fixedDir).audiosetModel).toBe(true);
    } finally {
      await fixed.close();
    }
  }, 120_000);
});
