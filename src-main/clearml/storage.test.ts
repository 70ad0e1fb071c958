// Files registered somewhere other than the configured file server: the same file server under
// another spelling (scheme, port, trailing slash; or any address mapped by the SDK's
// sdk.storage.path_substitution) is read as the file server; S3, Google Cloud Storage, Azure and
// local paths are refused with a message naming the file, the storage and what to configure.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_MODEL_DIR, tempDir } from '../../test-support/fixtures';
import { seedVersionChain } from '../../test-support/clearml-server/dataset-seed';
import { correction, memoryLedger, pendingOf, testClient } from '../../test-support/clearml-server/fixtures';
import { startTestServer, type TestServer } from '../../test-support/clearml-server/server';
import type { ClearmlClient } from './client';
import { uploadCorrections, type UploadOutcome } from './datasets';
import type { Result } from './errors';
import { manifestOfModel } from './models';
import { credentialsMessage, resolveStorage } from './storage';

const tmp = tempDir('eno-clearml-storage-');
const servers: TestServer[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) await s.stop();
});

async function server(): Promise<TestServer> {
  const s = await startTestServer({ filesAlias: true });
  servers.push(s);
  return s;
}

function upload(client: ClearmlClient, n: number): Promise<Result<UploadOutcome>> {
  const { ledger } = memoryLedger();
  return uploadCorrections(client, pendingOf(ledger, [correction(n)]), { ledger, appVersion: '0.1.0-test', workDir: join(tmp.dir, `w${n}`) });
}

function uploaded(result: Result<UploadOutcome>): Extract<UploadOutcome, { status: 'uploaded' }> {
  if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message}`);
  if (result.value.status !== 'uploaded') throw new Error('nothing uploaded');
  return result.value;
}

/** Points the state artifact of a version at another address, as if another tool had registered it there. */
function moveState(s: TestServer, datasetId: string, to: (uri: string) => string): string {
  const artifacts = (s.state.tasks.get(datasetId)!.execution as { artifacts: Array<{ key: string; uri: string }> }).artifacts;
  const state = artifacts.find((a) => a.key === 'state')!;
  state.uri = to(state.uri);
  return state.uri;
}

describe('files stored elsewhere', () => {
  it('builds on a version registered under another address of the same file server (another port)', async () => {
    const s = await server();
    const elsewhere = testClient(s, { filesServer: s.filesAliasUrl! });
    const first = uploaded(await upload(elsewhere, 1));
    expect(JSON.stringify(s.state.tasks.get(first.datasetId)!.execution)).toContain(s.filesAliasUrl!);
    const next = uploaded(await upload(testClient(s, { filesServer: `${s.filesUrl}/` }), 2));
    expect(next).toMatchObject({ parentId: first.datasetId, version: '1.0.1' });
  });

  it('reads a version registered under another host name once clearml.conf maps it with sdk.storage.path_substitution', async () => {
    const s = await server();
    const first = uploaded(await upload(testClient(s), 1));
    const registered = 'http://files.clearml.lan:8081';
    moveState(s, first.datasetId, (uri) => uri.replace(s.filesUrl, registered));
    const mapped = testClient(s, { pathSubstitutions: [{ registeredPrefix: registered, localPrefix: s.filesUrl }] });
    expect(uploaded(await upload(mapped, 2))).toMatchObject({ parentId: first.datasetId });
  });

  it('refuses a parent kept on S3, Google Cloud Storage, Azure or a local disk, naming the file, the storage and what to configure', async () => {
    const cases: Array<[string, string]> = [
      ['s3://training-bucket/eno/state.json', 'Amazon S3'],
      ['gs://training-bucket/eno/state.json', 'Google Cloud Storage'],
      ['azure://account.blob.core.windows.net/container/state.json', 'Azure Blob Storage'],
      ['/home/trainer/.clearml/state.json', 'a local disk'],
    ];
    for (const [uri, storage] of cases) {
      const s = await server();
      const [parent] = seedVersionChain(s, { project: 'eno', name: 'corrections', count: 1 });
      moveState(s, parent!.id, () => uri);
      const result = await upload(testClient(s), 1);
      expect(result.ok, uri).toBe(false);
      if (result.ok) continue;
      expect(result.error.code).toBe('storage');
      expect(result.error.message).toMatch(/^[^\n]+$/);
      expect(result.error.message).toContain(`The state of version 1.0.0 (task ${parent!.id}) is on ${storage}`);
      expect(result.error.message).toContain(uri);
      expect(result.error.message).toContain(s.filesUrl);
      expect(result.error.message).toContain('sdk.storage.path_substitution');
      // Nothing was started on the server.
      expect(s.state.calls.some((c) => c.endpoint === 'tasks.create')).toBe(false);
    }
  });

  it('names the storage of model weights kept outside the file server', () => {
    const manifest = JSON.parse(readFileSync(join(DEFAULT_MODEL_DIR, 'eno-model.json'), 'utf8')) as Record<string, unknown>;
    const design = { design: JSON.stringify({ ...manifest, sha256: 'a'.repeat(64) }) };
    const problem = (uri: string): string | null => manifestOfModel({ design, uri }).problem;
    expect(problem('s3://models/eno/model.onnx')).toMatch(/^its weights are on Amazon S3 \(or an S3-compatible store\) \(s3:\/\/models\/eno\/model\.onnx\), which eno cannot read/);
    expect(problem('gs://models/model.onnx')).toMatch(/Google Cloud Storage/);
  });

  it('takes another scheme, port or trailing slash of the configured host for the file server, and only that host', () => {
    const files = 'https://files.example.com';
    expect(resolveStorage('http://files.example.com/eno/a%20b/state.json', files)).toMatchObject({ kind: 'files-server', url: 'https://files.example.com/eno/a%20b/state.json' });
    expect(resolveStorage('https://FILES.example.com:8081/eno/x', `${files}/`)).toMatchObject({ kind: 'files-server', url: 'https://files.example.com/eno/x' });
    expect(resolveStorage('https://files.example.com:443/eno/x', files).url).toBe('https://files.example.com/eno/x');
    expect(resolveStorage('https://cdn.example.com/eno/x', files)).toMatchObject({ kind: 'http', url: 'https://cdn.example.com/eno/x' });
    expect(resolveStorage('http://old:8081/eno/x', files, [{ registeredPrefix: 'http://old:8081', localPrefix: files }])).toMatchObject({ kind: 'files-server', url: 'https://files.example.com/eno/x' });
    expect(credentialsMessage('the weights of model "m"', 'https://cdn.example.com/x', 401, files)).toBe(
      'The weights of model "m" (https://cdn.example.com/x) answered HTTP 401: that address wants credentials eno only sends to the ClearML file server (https://files.example.com). If it is your file server under another address, set api.files_server to it or map its prefix with sdk.storage.path_substitution in clearml.conf.',
    );
  });
});
