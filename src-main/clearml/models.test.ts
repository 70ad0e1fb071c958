// The model registry client against the test server: which models are listed, checks before a
// pull, and a full disk during the download (no partial model folder, a clear message, and a
// retry that installs).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_MODEL_DIR, tempDir } from '../../test-support/fixtures';
import type { ClearmlClient } from './client';
import { uploadFile } from './files';
import { listPublishedModels, pullModel } from './models';
import { testClient } from '../../test-support/clearml-server/fixtures';
import { startTestServer, type TestServer } from '../../test-support/clearml-server/server';

const tmp = tempDir('eno-clearml-models-');
let server: TestServer;
let client: ClearmlClient;
const manifest = JSON.parse(readFileSync(join(DEFAULT_MODEL_DIR, 'eno-model.json'), 'utf8')) as Record<string, unknown>;
const WEIGHTS_SHA256 = 'ca36f9b9e6d82572cafc0379f8e94cf0427b6a0828b5e1db81844233d2b54152';

async function register(name: string, fields: Record<string, unknown>, design: Record<string, unknown> | string = { ...manifest, sha256: WEIGHTS_SHA256 }) {
  const uri = await uploadFile(client, { localPath: join(DEFAULT_MODEL_DIR, 'model.onnx'), objectPath: `eno/train.${name}/models/model.onnx` });
  const { id } = await client.call<{ id: string }>('models.create', {
    name,
    uri,
    framework: 'ONNX',
    tags: ['eno'],
    ready: true,
    design: { design: typeof design === 'string' ? design : JSON.stringify(design) },
    ...fields,
  });
  return id;
}

/** A write stream that fails like a full disk once `limit` bytes were written. */
function fullDiskAfter(limit: number): () => Writable {
  return () => {
    let written = 0;
    return new Writable({
      write(chunk: Buffer, _enc, callback) {
        written += chunk.length;
        if (written > limit) callback(Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' }));
        else callback();
      },
    });
  };
}

beforeAll(async () => {
  server = await startTestServer();
  client = testClient(server);
});
afterAll(async () => {
  await server.stop();
  tmp.cleanup();
});

describe('model registry', () => {
  it('lists published eno ONNX models newest first, leaving out drafts, archived, other tags and frameworks', async () => {
    const older = await register('older', {});
    await register('draft', { ready: false });
    await register('archived', { system_tags: ['archived'] });
    await register('other-tag', { tags: ['someone-else'] });
    await register('pytorch', { framework: 'PyTorch' });
    const broken = await register('no-manifest', {}, '');
    const newest = await register('newest', {});
    const listed = await listPublishedModels(client);
    if (!listed.ok) throw new Error(listed.error.message);
    expect(listed.value.map((m) => m.id)).toEqual([newest, broken, older]);
    expect(listed.value[1]!.problem).toMatch(/no eno-model.json/);
    const call = server.state.calls.filter((c) => c.endpoint === 'models.get_all').pop()!;
    expect(call.body).toMatchObject({ ready: true, tags: ['eno'], framework: ['ONNX'], system_tags: ['-archived'], order_by: ['-created'] });

    const refused = await pullModel(client, broken, { cacheDir: join(tmp.dir, 'refused') });
    expect(!refused.ok && refused.error.code).toBe('invalid-model');
  });

  it('pulls by id only a published, unarchived eno ONNX model, saying which rule another one breaks', async () => {
    const cases: Array<[string, Record<string, unknown>, RegExp]> = [
      ['by-id-draft', { ready: false }, /is not published/],
      ['by-id-archived', { system_tags: ['archived'] }, /is archived/],
      ['by-id-untagged', { tags: ['someone-else'] }, /is not tagged "eno"/],
      ['by-id-pytorch', { framework: 'PyTorch' }, /has framework "PyTorch", not "ONNX"/],
    ];
    for (const [name, fields, reason] of cases) {
      const id = await register(name, fields);
      const cacheDir = join(tmp.dir, name);
      const downloadsBefore = server.state.calls.length;
      const result = await pullModel(client, id, { cacheDir });
      expect(result.ok, name).toBe(false);
      if (result.ok) continue;
      expect(result.error.code).toBe('invalid-model');
      expect(result.error.message).toMatch(new RegExp(`^Model "${name}" \\(${id}\\) cannot be used: it `));
      expect(result.error.message).toMatch(reason);
      expect(existsSync(cacheDir)).toBe(false);
      expect(server.state.calls.slice(downloadsBefore).map((c) => c.endpoint)).toEqual(['models.get_by_id']);
    }
    const unknown = await pullModel(client, 'f'.repeat(32), { cacheDir: join(tmp.dir, 'unknown') });
    expect(!unknown.ok && unknown.error.message).toMatch(/Invalid model id/);
  });

  it('refuses weights that fail their checksum, leaving nothing behind', async () => {
    const id = await register('bad-sum', {}, { ...manifest, sha256: '0'.repeat(64) });
    const cacheDir = join(tmp.dir, 'checksum');
    const result = await pullModel(client, id, { cacheDir });
    expect(!result.ok && result.error.code).toBe('checksum');
    expect(readdirSync(cacheDir)).toEqual([]);
  });

  it('a full disk during the download: one-line message, no partial folder, and the retry installs', async () => {
    const id = await register('disk-full', {});
    const cacheDir = join(tmp.dir, 'disk-full');
    const progress: number[] = [];
    const failed = await pullModel(client, id, { cacheDir, openWrite: fullDiskAfter(1_000_000), onProgress: (p) => progress.push(p.doneBytes) });
    expect(failed.ok).toBe(false);
    if (failed.ok) return;
    expect(failed.error.code).toBe('disk-full');
    expect(failed.error.message).toMatch(/^[^\n]+$/);
    expect(failed.error.message).toContain(cacheDir);
    expect(readdirSync(cacheDir)).toEqual([]);
    expect(progress.length).toBeGreaterThan(0);

    const retried = await pullModel(client, id, { cacheDir });
    if (!retried.ok) throw new Error(retried.error.message);
    expect(readdirSync(cacheDir)).toEqual(['musicnn-msd-1.0.0']);
    expect(readdirSync(retried.value.dir).sort()).toEqual(['LICENCE.txt', 'eno-model.json', 'model.onnx']);
  });
});
