// The ClearML loop through the app core, as the window drives it: settings, preview, an upload
// that becomes a dataset version, the upload history, and a model from the registry that is
// pulled, made active, re-tags the library and flags judged tracks whose tags changed.
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uploadFile } from '../clearml/files';
import { testClient } from '../../test-support/clearml-server/fixtures';
import { startTestServer, type TestServer } from '../../test-support/clearml-server/server';
import { DEFAULT_MODEL_DIR, SHARED_AUDIO, tempDir } from '../../test-support/fixtures';
import type { RequestArg, RequestName, RequestResult } from '../../src-preload/contract';
import { AppCore } from './app-core';
import { dispatch } from './dispatch';
import { loadSettings, saveSettings } from './app-settings';

const tmp = tempDir('eno-core-clearml-');
/** Real tagging and uploads: about 20 s on an idle machine, more than ten times that on a busy one. */
const SLOW_MS = 10 * 60_000;
let server: TestServer;
let core: AppCore;

beforeAll(async () => {
  server = await startTestServer();
  // The short non-music clips stand in for songs: musicnn alone tags them (with the AudioSet model
  // in the set they would be judged not music and kept out of the uploads tested here).
  saveSettings(join(tmp.dir, 'data'), { ...loadSettings(join(tmp.dir, 'data')), audiosetModel: false });
  core = await AppCore.open({
    dataDir: join(tmp.dir, 'data'),
    transport: 'browser',
    appVersion: '0.0.0-test',
    ep: 'cpu',
    log: () => undefined,
    clearmlEnv: {},
    clearmlHome: join(tmp.dir, 'home'),
  });
}, 60_000);

afterAll(async () => {
  await core?.close();
  await server?.stop();
  tmp.cleanup();
});

/** Waits until the tagging queue has nothing left (a limit in time, however slow each look is). */
async function queueIdle(): Promise<void> {
  for (const deadline = Date.now() + SLOW_MS / 2; Date.now() < deadline; ) {
    const status = await call('queueStatus');
    if (status.state === 'idle') return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('the queue did not finish');
}

/** Calls a request the way the window does: validated by the contract's schema first. */
async function call<N extends RequestName>(name: N, arg?: RequestArg<N>): Promise<RequestResult<N>> {
  const result = await dispatch(core.handlers, name, arg);
  if (!result.ok) throw new Error(`${name}: ${result.error.message}`);
  return result.value as RequestResult<N>;
}

describe('ClearML through the app core', () => {
  it('shows where each setting comes from and tests the connection', async () => {
    let view = await call('clearmlSettings');
    expect(view.configured).toBe(false);
    expect(view.apiServer.source).toBe('default');
    expect(await call('testClearmlConnection')).toMatchObject({ ok: false, code: 'not-configured' });
    view = await call('saveClearmlSettings', { apiServer: server.apiUrl, webServer: server.webUrl, filesServer: server.filesUrl, accessKey: server.credentials.accessKey, secretKey: 'wrong' });
    expect(view.apiServer).toEqual({ value: server.apiUrl, source: 'override' });
    expect(view.secretKey).toEqual({ set: true, source: 'override' });
    expect(view.secretPersistent).toBe(false);
    expect(await call('testClearmlConnection')).toMatchObject({ ok: false, code: 'auth' });
    await call('saveClearmlSettings', { secretKey: server.credentials.secretKey });
    expect(await call('testClearmlConnection')).toMatchObject({ ok: true });
  });

  it('uploads corrections as successive dataset versions, each once', async () => {
    await call('addFolder', { path: join(SHARED_AUDIO, 'nonmusic') });
    await core.library.settled('all');
    await queueIdle();
    const ids = await call('trackIds', {});
    expect(ids).toHaveLength(4);
    await call('label', { trackIds: [ids[0]!], action: 'add', tag: 'whale song' });
    await call('setReviewed', { trackIds: [ids[1]!], reviewed: true });
    const preview = await call('uploadPreview');
    expect(preview.pending).toBe(2);
    expect(preview.newTags).toEqual(['whale song']);
    expect(preview.tracks.find((t) => t.added.includes('whale song'))).toBeDefined();

    await call('startUpload');
    let state = await core.clearml.settled();
    expect(state.last).toMatchObject({ ok: true, version: '1.0.0' });
    // The link is the version's dataset page, in the form the official SDK logs it.
    const [first] = await call('uploadHistory');
    const page = `${server.webUrl.replace(/\/+$/, '')}/datasets/simple/*/experiments/${first!.datasetId}`;
    expect(state.last?.webUrl).toBe(page);
    expect(first!.webUrl).toBe(page);
    expect((await call('uploadPreview')).pending).toBe(0);

    await call('label', { trackIds: [ids[2]!], action: 'add', tag: 'dog dreams' });
    await call('startUpload');
    state = await core.clearml.settled();
    expect(state.last).toMatchObject({ ok: true, version: '1.0.1' });
    const history = await call('uploadHistory');
    expect(history.map((r) => [r.version, r.corrections])).toEqual([
      ['1.0.1', 1],
      ['1.0.0', 2],
    ]);
  }, SLOW_MS);

  it('runs one upload at a time, in this process and against another process', async () => {
    const ids = await call('trackIds', {});
    await call('label', { trackIds: [ids[3]!], action: 'add', tag: 'duplicate click' });
    // Two clicks at once: one upload, one new version.
    const [first, second] = await Promise.all([call('startUpload'), call('startUpload')]);
    expect(first.running && second.running).toBe(true);
    await core.clearml.settled();
    expect((await call('uploadHistory')).map((r) => r.version)).toEqual(['1.0.2', '1.0.1', '1.0.0']);

    // `eno upload` (another live process) holds the lock: the app says so and sends nothing.
    await call('label', { trackIds: [ids[3]!], action: 'add', tag: 'second batch' });
    const other = spawn('sleep', ['30']);
    writeFileSync(join(tmp.dir, 'data', 'upload.lock'), String(other.pid));
    await expect(call('startUpload')).rejects.toThrow(/another upload of this library is in progress \(process \d+\)/);
    other.kill();
    await new Promise((resolve) => other.once('exit', resolve));
    // Its process is gone: the stale lock is taken over.
    await call('startUpload');
    expect((await core.clearml.settled()).last).toMatchObject({ ok: true, version: '1.0.3' });
  }, SLOW_MS);

  it('pulls a registry model, switches to it, re-tags and flags judged tracks whose tags changed', async () => {
    const client = testClient(server);
    const manifest = JSON.parse(readFileSync(join(DEFAULT_MODEL_DIR, 'eno-model.json'), 'utf8')) as { tags: Array<{ threshold: number }> };
    // Same weights, much lower thresholds: every judged track's tag set changes.
    const retrained = { ...manifest, version: '1.1.0', source: 'clearml', tags: manifest.tags.map((t) => ({ ...t, threshold: 0.01 })) };
    const uri = await uploadFile(client, { localPath: join(DEFAULT_MODEL_DIR, 'model.onnx'), objectPath: 'eno/train.retrained/models/model.onnx' });
    const { id } = await client.call<{ id: string }>('models.create', {
      name: 'musicnn retrained',
      uri,
      framework: 'ONNX',
      tags: ['eno'],
      ready: true,
      design: { design: JSON.stringify(retrained) },
    });
    const registry = await call('listRegistryModels');
    expect(registry.find((m) => m.id === id)).toMatchObject({ version: '1.1.0', installed: false, problem: null });
    const local = await call('pullModel', { modelId: id });
    expect(local).toMatchObject({ id: 'musicnn-msd', version: '1.1.0', active: false });
    const info = await call('useModel', { key: local.key });
    expect(info.model.version).toBe('1.1.0');
    expect((await call('listLocalModels')).find((m) => m.active)?.key).toBe(local.key);
    await queueIdle();
    const page = await call('queryTracks', { offset: 0, limit: 10 });
    const flagged = page.rows.filter((r) => r.needsReview).map((r) => r.title);
    expect(flagged.length).toBeGreaterThanOrEqual(1);
    const detail = await call('getTrack', { id: page.rows[0]!.id });
    expect(detail.prediction?.modelVersion).toBe('1.1.0');
  }, SLOW_MS);
});
