// Dataset versions across the fence: the official ClearML SDK (pinned, in clearml-interop/) reads
// what our client uploads, our client builds on a version the SDK wrote, and the SDK still reads the
// newest version when unfinished drafts were left behind and stopped by the server's watchdog. All
// talk to the test server; the SDK is configured by environment variables only.
import { createHash } from 'node:crypto';
import { writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../../test-support/fixtures';
import { uploadCorrections, type UploadOutcome, type UploadProgress } from './datasets';
import type { Result } from './errors';
import { correction, memoryLedger, pendingOf, readZip, testClient } from '../../test-support/clearml-server/fixtures';
import { clearmlPython, runSdkScript } from '../../test-support/clearml-server/python-sdk';
import { startTestServer, type TestServer } from '../../test-support/clearml-server/server';

interface SdkRead {
  id: string;
  version: string;
  parents: string[];
  struct_graph: Record<string, string[]>;
  struct_versions: string[];
  files: Record<string, { sha256: string; size: number }>;
}

const tmp = tempDir('eno-clearml-interop-');
/** Each test runs the SDK in Python processes: seconds on an idle machine, more than ten times that on a busy one. */
const SLOW_MS = 10 * 60_000;
let server: TestServer;

beforeAll(async () => {
  clearmlPython(); // creates the venv on the first run
  server = await startTestServer();
}, 15 * 60_000);
afterAll(async () => {
  await server?.stop();
  tmp.cleanup();
});

function uploaded(result: Result<UploadOutcome>): Extract<UploadOutcome, { status: 'uploaded' }> {
  if (!result.ok) throw new Error(`upload failed: ${result.error.code}: ${result.error.message}`);
  if (result.value.status !== 'uploaded') throw new Error('nothing was uploaded');
  return result.value;
}

/** Every file of a version as our client wrote it, from the zips on the test file server. */
function filesOnServer(datasetIds: readonly string[]): Map<string, Buffer> {
  const files = new Map<string, Buffer>();
  for (const id of datasetIds) {
    for (const [path, data] of server.state.files) {
      if (path.includes(`.${id}/artifacts/data`) && path.endsWith('.zip')) for (const [name, bytes] of readZip(data)) files.set(name, bytes);
    }
  }
  return files;
}

const sha = (b: Buffer): string => createHash('sha256').update(b).digest('hex');

describe('ClearML dataset interop with the official SDK', () => {
  const { ledger } = memoryLedger();
  const client = () => testClient(server);
  const options = () => ({ ledger, appVersion: '0.1.0-test', workDir: join(tmp.dir, 'work') });
  let first: Extract<UploadOutcome, { status: 'uploaded' }>;
  let second: Extract<UploadOutcome, { status: 'uploaded' }>;

  it('(a) reads two successive versions we uploaded: newest version, every file and byte, parent = first', async () => {
    first = uploaded(await uploadCorrections(client(), pendingOf(ledger, [correction(1), correction(2)]), options()));
    expect(first.version).toBe('1.0.0');
    second = uploaded(await uploadCorrections(client(), pendingOf(ledger, [correction(1), correction(2), correction(3)]), options()));
    expect(second.version).toBe('1.0.1');
    expect(second.parentId).toBe(first.datasetId);
    expect(second.keys).toEqual(['correction-0003']);

    const read = await runSdkScript<SdkRead>(server, join(tmp.dir, 'home-a'), 'read_dataset.py', ['eno', 'corrections']);
    expect(read.id).toBe(second.datasetId);
    expect(read.version).toBe('1.0.1');
    expect(read.parents).toEqual([first.datasetId]);
    expect(read.struct_graph).toEqual({ [first.datasetId]: [], [second.datasetId]: [first.datasetId] });

    // Exactly our files: the first version's (inherited) plus the second's, manifest.json from the newest.
    const ours = filesOnServer([first.datasetId]);
    for (const [name, bytes] of filesOnServer([second.datasetId])) ours.set(name, bytes);
    expect(Object.keys(read.files).sort()).toEqual([...ours.keys()].sort());
    expect(Object.keys(read.files).sort()).toEqual([
      'embeddings/1.0.0.f32',
      'embeddings/1.0.0.index.json',
      'embeddings/1.0.1.f32',
      'embeddings/1.0.1.index.json',
      'labels/1.0.0.jsonl',
      'labels/1.0.1.jsonl',
      'manifest.json',
    ]);
    for (const [name, bytes] of ours) expect(read.files[name], name).toEqual({ sha256: sha(bytes), size: bytes.length });

    const manifest = JSON.parse(ours.get('manifest.json')!.toString('utf8')) as { label_files: string[]; counts: { records: number } };
    expect(manifest.label_files).toEqual(['labels/1.0.0.jsonl', 'labels/1.0.1.jsonl']);
    expect(manifest.counts.records).toBe(3);
  }, SLOW_MS);

  it('(b) builds on a version the SDK created: it becomes the parent of our next upload', async () => {
    const folder = join(tmp.dir, 'sdk-files');
    mkdirSync(join(folder, 'notes'), { recursive: true });
    writeFileSync(join(folder, 'notes', 'from-training.txt'), 'relabelled on the GPU box\n');
    const sdk = await runSdkScript<{ id: string; version: string; parents: string[] }>(server, join(tmp.dir, 'home-b1'), 'create_dataset.py', [
      'eno',
      'corrections',
      folder,
    ]);
    expect(sdk.version).toBe('1.0.2');
    expect(sdk.parents).toEqual([second.datasetId]);

    const third = uploaded(await uploadCorrections(client(), pendingOf(ledger, [correction(4)]), options()));
    expect(third.parentId).toBe(sdk.id);
    expect(third.version).toBe('1.0.3');

    const read = await runSdkScript<SdkRead>(server, join(tmp.dir, 'home-b2'), 'read_dataset.py', ['eno', 'corrections']);
    expect(read.id).toBe(third.datasetId);
    expect(read.parents).toEqual([sdk.id]);
    // The lineage object covers every version back to the first, including the SDK's.
    expect(read.struct_versions).toEqual(['1.0.0', '1.0.1', '1.0.2', '1.0.3']);
    expect(read.struct_graph[sdk.id]).toEqual([second.datasetId]);
    expect(Object.keys(read.files)).toEqual(expect.arrayContaining(['notes/from-training.txt', 'labels/1.0.0.jsonl', 'labels/1.0.1.jsonl', 'labels/1.0.3.jsonl']));
    const labels = filesOnServer([third.datasetId]).get('labels/1.0.3.jsonl')!;
    expect(read.files['labels/1.0.3.jsonl']).toEqual({ sha256: sha(labels), size: labels.length });
  }, SLOW_MS);
});

describe('the SDK reads the newest version after stopped drafts were left behind', () => {
  let own: TestServer;
  const { ledger } = memoryLedger();
  const options = (extra: object = {}) => ({ ledger, appVersion: '0.1.0-test', workDir: join(tmp.dir, 'drafts-work'), ...extra });
  const cancelAt = async (phase: UploadProgress['phase']): Promise<string> => {
    const controller = new AbortController();
    const result = await uploadCorrections(testClient(own), pendingOf(ledger, [correction(2)]), options({ signal: controller.signal, onProgress: (p: UploadProgress) => p.phase === phase && controller.abort() }));
    expect(!result.ok && result.error.code).toBe('cancelled');
    return ledger.openDraft('eno', 'corrections')!.datasetId;
  };

  beforeAll(async () => {
    own = await startTestServer();
  });
  afterAll(async () => {
    await own?.stop();
  });

  it('(c) reads our finished version past our stopped draft, then our next version past the SDK\'s own stopped draft', async () => {
    const first = uploaded(await uploadCorrections(testClient(own), pendingOf(ledger, [correction(1)]), options()));
    // An upload that died with its data sent but unfinished, left until the server stopped it.
    const ours = await cancelAt('registering');
    expect(own.stopNonResponsive(0)).toBe(1);
    expect(own.state.tasks.get(ours)!.status).toBe('stopped');

    const before = await runSdkScript<SdkRead>(own, join(tmp.dir, 'home-c1'), 'read_dataset.py', ['eno', 'corrections']);
    expect(before).toMatchObject({ id: first.datasetId, version: '1.0.0' });
    expect(own.state.tasks.get(ours)!.status).toBe('stopped'); // not reopened by the reader

    // A training script that died after uploading, on top of our finished version.
    const folder = join(tmp.dir, 'sdk-draft-files');
    mkdirSync(folder, { recursive: true });
    writeFileSync(join(folder, 'half-done.txt'), 'never finalized\n');
    const sdkDraft = await runSdkScript<{ id: string; version: string; parents: string[] }>(own, join(tmp.dir, 'home-c2'), 'create_draft.py', ['eno', 'corrections', folder]);
    expect(sdkDraft.parents).toEqual([first.datasetId]);
    own.stopNonResponsive(0);
    expect(own.state.tasks.get(sdkDraft.id)!.status).toBe('stopped');

    // Our next upload resumes its own draft and archives the SDK's dead one.
    const next = uploaded(await uploadCorrections(testClient(own), pendingOf(ledger, [correction(2)]), options()));
    expect(next).toMatchObject({ datasetId: ours, resumed: true, parentId: first.datasetId, version: '1.0.1', archivedDrafts: [sdkDraft.id] });

    const read = await runSdkScript<SdkRead>(own, join(tmp.dir, 'home-c3'), 'read_dataset.py', ['eno', 'corrections']);
    expect(read).toMatchObject({ id: ours, version: '1.0.1', parents: [first.datasetId] });
    expect(Object.keys(read.files).sort()).toEqual([
      'embeddings/1.0.0.f32',
      'embeddings/1.0.0.index.json',
      'embeddings/1.0.1.f32',
      'embeddings/1.0.1.index.json',
      'labels/1.0.0.jsonl',
      'labels/1.0.1.jsonl',
      'manifest.json',
    ]);
  }, SLOW_MS);
});
