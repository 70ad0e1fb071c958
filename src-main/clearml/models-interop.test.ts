// (c) A model registered and published with the official SDK, following the convention in
// README.md, is found, pulled and installed by our client, and tags real music.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TaggingEngine } from '../inference/engine';
import { loadModelBundle, sha256File } from '../inference/manifest';
import { tagFile } from '../tagging/tag-file';
import { DEFAULT_MODEL_DIR, sharedClip, tempDir } from '../../test-support/fixtures';
import { listPublishedModels, pullModel } from './models';
import { testClient } from '../../test-support/clearml-server/fixtures';
import { clearmlPython, runSdkScript } from '../../test-support/clearml-server/python-sdk';
import { startTestServer, type TestServer } from '../../test-support/clearml-server/server';

const tmp = tempDir('eno-clearml-models-');
/** Python processes and real tagging: about 20 s on an idle machine, more than ten times that on a busy one. */
const SLOW_MS = 10 * 60_000;
let server: TestServer;

beforeAll(async () => {
  clearmlPython();
  server = await startTestServer();
}, 15 * 60_000);
afterAll(async () => {
  await server?.stop();
  tmp.cleanup();
});

describe('models registered with the official SDK', () => {
  it('(c) are listed, pulled into the cache as a bundle, and tag a clip', async () => {
    const registered = await runSdkScript<{ id: string; url: string }>(server, join(tmp.dir, 'home'), 'register_model.py', [
      DEFAULT_MODEL_DIR,
      'eno',
      'train musicnn',
    ]);
    const client = testClient(server);
    const listed = await listPublishedModels(client);
    if (!listed.ok) throw new Error(listed.error.message);
    expect(listed.value.map((m) => m.id)).toEqual([registered.id]);
    const model = listed.value[0]!;
    expect(model.problem).toBeNull();
    expect(model.manifest?.id).toBe('musicnn-msd');

    const cacheDir = join(tmp.dir, 'models');
    const pulled = await pullModel(client, model, { cacheDir });
    if (!pulled.ok) throw new Error(pulled.error.message);
    expect(pulled.value.dir).toBe(join(cacheDir, 'musicnn-msd-1.0.0'));
    expect(readdirSync(cacheDir)).toEqual(['musicnn-msd-1.0.0']);
    const bundle = await loadModelBundle(pulled.value.dir);
    expect(bundle.manifest.source).toBe(`clearml:${registered.id}`);
    expect(await sha256File(bundle.modelPath)).toBe(await sha256File(join(DEFAULT_MODEL_DIR, 'model.onnx')));

    // Pulling again finds the installed bundle instead of downloading it twice.
    const again = await pullModel(client, registered.id, { cacheDir });
    expect(again.ok && again.value.alreadyInstalled).toBe(true);

    const engine = await TaggingEngine.open({ modelDir: pulled.value.dir, ep: 'cpu', sessions: 1 });
    try {
      const outcome = await tagFile(engine, sharedClip('music/bensound-thejazzpiano.mp3'));
      expect(outcome.status).toBe('ok');
      if (outcome.status !== 'ok') return;
      expect(outcome.modelId).toBe('musicnn-msd');
      expect(outcome.ranked[0]?.name).toBe('jazz');
    } finally {
      await engine.close();
    }
  }, SLOW_MS);
});
