// Faults during a dataset upload: the server down, wrong credentials, a 5xx in the middle, the
// connection cut during a file upload, a rival installation. Each must end with a clear one-line
// message, nothing lost (ledger consistent, no unfinalized newest version once the retry is done),
// and a retry that finishes the job.
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { tempDir } from '../../test-support/fixtures';
import { uploadCorrections, type UploadCorrectionsOptions } from './datasets';
import type { UploadLedger } from './ledger';
import { correction, memoryLedger, pendingOf, readZip, testClient } from '../../test-support/clearml-server/fixtures';
import { startTestServer, type TestServer } from '../../test-support/clearml-server/server';

const tmp = tempDir('eno-clearml-faults-');
const servers: TestServer[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) await s.stop();
});

async function server(options: Parameters<typeof startTestServer>[0] = {}): Promise<TestServer> {
  const s = await startTestServer(options);
  servers.push(s);
  return s;
}

const options = (ledger: UploadLedger, extra: Partial<UploadCorrectionsOptions> = {}): UploadCorrectionsOptions => ({
  ledger,
  appVersion: '0.1.0-test',
  workDir: join(tmp.dir, 'work'),
  ...extra,
});

/** Non-archived dataset versions on the server with their status. */
function versions(s: TestServer): Array<{ id: string; status: string; version: unknown }> {
  return [...s.state.tasks.values()]
    .filter((t) => (t.system_tags as string[]).includes('dataset') && !(t.system_tags as string[]).includes('archived'))
    .map((t) => ({ id: t.id as string, status: t.status as string, version: (t.runtime as { version?: unknown }).version }));
}

const ONE_LINE = /^[^\n]+$/;

describe('dataset upload faults', () => {
  it('server down: says the server cannot be reached, keeps everything pending, and a retry uploads', async () => {
    const first = await server();
    const apiPort = Number(new URL(first.apiUrl).port);
    const filesPort = Number(new URL(first.filesUrl).port);
    const { ledger } = memoryLedger();
    const client = testClient(first, { retries: 1 });
    await first.stop();
    servers.splice(0);

    const failed = await uploadCorrections(client, pendingOf(ledger, [correction(1)]), options(ledger));
    expect(failed.ok).toBe(false);
    if (failed.ok) return;
    expect(failed.error.code).toBe('refused');
    expect(failed.error.message).toMatch(ONE_LINE);
    expect(failed.error.message).toContain(`127.0.0.1:${apiPort}`);
    expect(['correction-0001'].filter((k) => ledger.versionOf(k)).length).toBe(0);

    const again = await server({ apiPort, filesPort, state: first.state, credentials: first.credentials });
    const retried = await uploadCorrections(client, pendingOf(ledger, [correction(1)]), options(ledger));
    expect(retried.ok && retried.value.status).toBe('uploaded');
    expect(['correction-0001'].filter((k) => ledger.versionOf(k)).length).toBe(1);
    expect(versions(again)).toEqual([expect.objectContaining({ status: 'completed', version: '1.0.0' })]);
  });

  it('wrong credentials: says so without retrying, and the right ones finish the job', async () => {
    const s = await server();
    const { ledger } = memoryLedger();
    const wrong = testClient(s, { secretKey: 'not-the-secret' });
    const failed = await uploadCorrections(wrong, pendingOf(ledger, [correction(1)]), options(ledger));
    expect(failed.ok).toBe(false);
    if (failed.ok) return;
    expect(failed.error.code).toBe('auth');
    expect(failed.error.message).toMatch(ONE_LINE);
    expect(failed.error.message).toMatch(/credentials/);
    expect(s.state.calls.filter((c) => c.endpoint === 'auth.login')).toHaveLength(1);
    expect(versions(s)).toEqual([]);

    const done = await uploadCorrections(testClient(s), pendingOf(ledger, [correction(1)]), options(ledger));
    expect(done.ok && done.value.status).toBe('uploaded');
  });

  it('a 5xx in the middle: the draft stays unfinalized and is resumed (not duplicated) by the retry', async () => {
    const s = await server();
    const { ledger } = memoryLedger();
    const client = testClient(s, { retries: 1 });
    // Both attempts at registering the first chunk fail.
    s.faults.failCall('tasks.add_or_update_artifacts', 1, 503);
    s.faults.failCall('tasks.add_or_update_artifacts', 2, 503);
    const failed = await uploadCorrections(client, pendingOf(ledger, [correction(1), correction(2)]), options(ledger));
    expect(failed.ok).toBe(false);
    if (failed.ok) return;
    expect(failed.error.code).toBe('server');
    expect(failed.error.message).toMatch(ONE_LINE);
    expect(failed.error.message).toContain('tasks.add_or_update_artifacts');
    const draft = ledger.openDraft('eno', 'corrections');
    expect(draft).toBeDefined();
    expect(['correction-0001', 'correction-0002'].filter((k) => ledger.versionOf(k)).length).toBe(0);
    // The draft carries no version number until it is final, so Dataset.get cannot take it for the newest.
    expect(versions(s)).toEqual([{ id: draft!.datasetId, status: 'in_progress', version: undefined }]);

    const retried = await uploadCorrections(client, pendingOf(ledger, [correction(1), correction(2)]), options(ledger));
    if (!retried.ok) throw new Error(retried.error.message);
    expect(retried.value).toMatchObject({ status: 'uploaded', datasetId: draft!.datasetId, resumed: true, version: '1.0.0' });
    expect(versions(s)).toEqual([{ id: draft!.datasetId, status: 'completed', version: '1.0.0' }]);
    expect(['correction-0001', 'correction-0002'].filter((k) => ledger.versionOf(k)).length).toBe(2);
    expect(ledger.openDraft('eno', 'corrections')).toBeUndefined();
  });

  it('the connection cut during a file upload: retried within the call, or resumed by the next one', async () => {
    const s = await server();
    const { ledger } = memoryLedger();
    s.faults.cutUpload(1, 1024);
    const recovered = await uploadCorrections(testClient(s, { retries: 2 }), pendingOf(ledger, [correction(1), correction(2), correction(3)]), options(ledger));
    if (!recovered.ok) throw new Error(recovered.error.message);
    expect(s.state.uploadAttempts).toBe(3); // the cut chunk, its retry, state.json
    const zips = [...s.state.files.entries()].filter(([path]) => path.endsWith('.zip'));
    expect(zips).toHaveLength(1);
    expect([...readZip(zips[0]![1]).keys()]).toContain('labels/1.0.0.jsonl');

    s.faults.cutUpload(1, 1024);
    const failed = await uploadCorrections(testClient(s, { retries: 0 }), pendingOf(ledger, [correction(4), correction(5), correction(6)]), options(ledger));
    expect(failed.ok).toBe(false);
    if (failed.ok) return;
    expect(failed.error.code).toBe('network');
    expect(failed.error.message).toMatch(ONE_LINE);
    expect(failed.error.message).toMatch(/file server/);
    const retried = await uploadCorrections(testClient(s), pendingOf(ledger, [correction(4), correction(5), correction(6)]), options(ledger));
    if (!retried.ok) throw new Error(retried.error.message);
    expect(retried.value).toMatchObject({ status: 'uploaded', resumed: true, version: '1.0.1' });
    expect(versions(s).map((v) => v.status)).toEqual(['completed', 'completed']);
  });

  it('a draft left by another installation is archived once stale, and ours is archived if the parent moved on', async () => {
    const s = await server();
    const a = memoryLedger().ledger;
    const b = memoryLedger().ledger;
    s.faults.failCall('tasks.completed', 1, 500);
    const failed = await uploadCorrections(testClient(s, { retries: 0 }), pendingOf(a, [correction(1)]), options(a));
    expect(failed.ok).toBe(false);
    const leftover = a.openDraft('eno', 'corrections')!.datasetId;

    // A fresh draft of someone else is not touched: the rival is told to wait.
    const refused = await uploadCorrections(testClient(s), pendingOf(b, [correction(2)]), options(b));
    expect(!refused.ok && refused.error.code).toBe('conflict');
    // Once stale, it is archived and the rival's version becomes the newest.
    const rival = await uploadCorrections(testClient(s), pendingOf(b, [correction(2)]), options(b, { liveDraftMs: 0 }));
    if (!rival.ok) throw new Error(rival.error.message);
    expect(rival.value).toMatchObject({ status: 'uploaded', version: '1.0.0', archivedDrafts: [leftover] });

    // Our retry notices its draft was archived and uploads on top of the rival's version.
    const retried = await uploadCorrections(testClient(s), pendingOf(a, [correction(1)]), options(a));
    if (!retried.ok) throw new Error(retried.error.message);
    expect(retried.value).toMatchObject({ status: 'uploaded', version: '1.0.1', parentId: rival.value.status === 'uploaded' ? rival.value.datasetId : '' });
    expect(['correction-0001'].filter((k) => a.versionOf(k)).length).toBe(1);
    expect(versions(s).map((v) => v.status)).toEqual(['completed', 'completed']);
  });
});
