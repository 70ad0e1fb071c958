// `eno tag --data-dir`, `eno upload` and `eno models` as a user runs them, against the
// ClearML-compatible test server: results recorded in the app's library, a dry run, a server that
// is down then back (retry finishes the job), wrong credentials, and a registry model pulled and
// made active.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSettings } from '../core/app-settings';
import { uploadFile } from '../clearml/files';
import { testClient } from '../../test-support/clearml-server/fixtures';
import { startTestServer, type TestServer } from '../../test-support/clearml-server/server';
import { Library } from '../library/library';
import { runCli } from '../../test-support/cli';
import { DEFAULT_MODEL_DIR, sharedClip, tempDir } from '../../test-support/fixtures';

const tmp = tempDir('eno-cli-clearml-');
const dataDir = join(tmp.dir, 'data');
let server: TestServer;

beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server?.stop();
  tmp.cleanup();
});

/** ClearML configured by environment only, never from the user's ~/clearml.conf. */
function env(secret = server.credentials.secretKey): NodeJS.ProcessEnv {
  return {
    HOME: join(tmp.dir, 'home'),
    CLEARML_CONFIG_FILE: join(tmp.dir, 'no-such-clearml.conf'),
    CLEARML_API_HOST: server.apiUrl,
    CLEARML_WEB_HOST: server.webUrl,
    CLEARML_FILES_HOST: server.filesUrl,
    CLEARML_API_ACCESS_KEY: server.credentials.accessKey,
    CLEARML_API_SECRET_KEY: secret,
  };
}

describe('eno CLI and the ClearML loop', () => {
  it('records `eno tag --data-dir` results in the library the app uses', async () => {
    // Short clips of a dog and of speech, tagged by musicnn alone: the default set would judge them
    // not music and keep them out of the uploads this test makes.
    const clips = ['nonmusic/pibble.ogg', 'nonmusic/198-209-0000.ogg'].map(sharedClip);
    const run = await runCli(['tag', ...clips, '--model', 'musicnn-msd', '--data-dir', dataDir, '--out', join(tmp.dir, 'r.jsonl')]);
    expect(run.code).toBe(0);
    const library = await Library.open({ dataDir, engine: null, onEvent: () => undefined, watch: false, runQueue: false });
    try {
      const page = library.queryTracks({ search: '', statuses: [], tag: null, minConfidence: 0, sort: 'title', descending: false, toReview: false, offset: 0, limit: 10 });
      expect(page.rows.map((r) => [r.title, r.status])).toEqual([
        ['198-209-0000', 'tagged'],
        ['pibble', 'tagged'],
      ]);
      // A person corrects one of them in the app.
      library.label({ trackIds: [page.rows[1]!.id], action: 'add', tag: 'sleepy dog' });
    } finally {
      await library.close();
    }
  });

  it('previews an upload with --dry-run and sends nothing', async () => {
    const run = await runCli(['upload', '--data-dir', dataDir, '--dry-run'], { env: env() });
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^1 corrected track\(s\) to upload; new tags: sleepy dog\n {2}pibble: \+sleepy dog/);
  });

  it('says what failed when the server is down or the keys are wrong, and a retry finishes the job', async () => {
    const { apiUrl, filesUrl, state, credentials } = server;
    await server.stop();
    const down = await runCli(['upload', '--data-dir', dataDir], { env: env() });
    expect(down.code).toBe(1);
    expect(down.stderr).toMatch(/eno upload: .*(refused|not reachable|cannot reach)/i);
    expect(down.stderr).not.toMatch(/^\s+at /m);

    // The same server comes back on the same ports with the same keys and data.
    server = await startTestServer({ apiPort: Number(new URL(apiUrl).port), filesPort: Number(new URL(filesUrl).port), state, credentials });
    const wrong = await runCli(['upload', '--data-dir', dataDir], { env: env('not-the-secret') });
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toMatch(/credentials|access key|secret/i);

    const ok = await runCli(['upload', '--data-dir', dataDir], { env: env() });
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(/Uploaded 1 correction\(s\) as eno\/corrections 1\.0\.0/);
    const again = await runCli(['upload', '--data-dir', dataDir], { env: env() });
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/^0 corrected track\(s\) to upload/);
  }, 60_000);

  it('lists, pulls and activates a model from the registry', async () => {
    const client = testClient(server);
    const uri = await uploadFile(client, { localPath: join(DEFAULT_MODEL_DIR, 'model.onnx'), objectPath: 'eno/train.cli/models/model.onnx' });
    const manifest = JSON.parse(readFileSync(join(DEFAULT_MODEL_DIR, 'eno-model.json'), 'utf8')) as Record<string, unknown>;
    const { id } = await client.call<{ id: string }>('models.create', {
      name: 'musicnn cli',
      uri,
      framework: 'ONNX',
      tags: ['eno'],
      ready: true,
      design: { design: JSON.stringify({ ...manifest, version: '2.0.0' }) },
    });
    const list = await runCli(['models', 'list', '--data-dir', dataDir], { env: env() });
    expect(list.code).toBe(0);
    expect(list.stdout).toMatch(/\* default\s+musicnn \(MSD\) 1\.0\.0/);
    expect(list.stdout).toContain(`${id}  musicnn cli 2.0.0`);
    const pull = await runCli(['models', 'pull', id, '--data-dir', dataDir], { env: env() });
    expect(pull.code).toBe(0);
    const key = /installed musicnn-msd 2\.0\.0 in .*[\\/]([^\\/]+)\n/.exec(pull.stdout)?.[1];
    expect(key).toBeDefined();
    const use = await runCli(['models', 'use', key!, '--data-dir', dataDir], { env: env() });
    expect(use.code).toBe(0);
    expect(loadSettings(dataDir).activeModel).toBe(key);
    expect((await runCli(['models', 'use', 'nope', '--data-dir', dataDir], { env: env() })).code).toBe(1);
    expect((await runCli(['models', 'frobnicate', '--data-dir', dataDir])).code).toBe(2);
  }, 60_000);
});
