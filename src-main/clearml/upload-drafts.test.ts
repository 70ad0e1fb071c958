// Drafts against a server that behaves like a real one: it stops running tasks nobody pinged (the
// watchdog), refuses changes to stopped tasks, and stops a running task when it is archived. A
// version is final only when completed with our finishing steps (or published) and a state; a
// stopped draft is resumed or archived; a live upload elsewhere is waited for, a dead one archived;
// a draft lost mid-upload is replaced by a fresh one. Every correction goes up exactly once.
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { tempDir } from '../../test-support/fixtures';
import type { JsonObject } from '../../test-support/clearml-server/api-error';
import { correction, memoryLedger, pendingOf, readZip, testClient } from '../../test-support/clearml-server/fixtures';
import { startTestServer, type TestServer, type TestServerOptions } from '../../test-support/clearml-server/server';
import type { ServerState } from '../../test-support/clearml-server/state';
import type { CorrectionForUpload } from './dataset-files';
import type { DatasetState } from './dataset-state';
import { uploadCorrections, type UploadCorrectionsOptions, type UploadOutcome, type UploadProgress } from './datasets';
import type { Result } from './errors';
import type { UploadLedger } from './ledger';

const tmp = tempDir('eno-clearml-drafts-');
const servers: TestServer[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) await s.stop();
});

async function server(options: TestServerOptions = {}): Promise<TestServer> {
  const s = await startTestServer(options);
  servers.push(s);
  return s;
}

const MINUTE = 60_000;

function upload(s: TestServer, ledger: UploadLedger, list: readonly CorrectionForUpload[], extra: Partial<UploadCorrectionsOptions> = {}): Promise<Result<UploadOutcome>> {
  return uploadCorrections(testClient(s), pendingOf(ledger, list), { ledger, appVersion: '0.1.0-test', workDir: join(tmp.dir, 'work'), ...extra });
}

function uploaded(result: Result<UploadOutcome>): Extract<UploadOutcome, { status: 'uploaded' }> {
  if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message}`);
  if (result.value.status !== 'uploaded') throw new Error('nothing was uploaded');
  return result.value;
}

/** An upload cancelled once it reaches `phase` (its data chunk is registered by 'registering', its state is not). */
async function cancelledAt(phase: UploadProgress['phase'], s: TestServer, ledger: UploadLedger, list: readonly CorrectionForUpload[]): Promise<string> {
  const controller = new AbortController();
  const result = await upload(s, ledger, list, { signal: controller.signal, onProgress: (p) => p.phase === phase && controller.abort() });
  expect(result).toEqual({ ok: false, error: { code: 'cancelled', message: 'Cancelled.' } });
  return ledger.openDraft('eno', 'corrections')!.datasetId;
}

/** Dataset versions Dataset.get can see (not archived), oldest first. */
function visible(s: TestServer): Array<{ id: string; status: string; version: unknown }> {
  return [...s.state.tasks.values()]
    .filter((t) => (t.system_tags as string[]).includes('dataset') && !(t.system_tags as string[]).includes('archived'))
    .map((t) => ({ id: t.id as string, status: t.status as string, version: (t.runtime as { version?: unknown }).version }));
}

const archived = (s: TestServer, id: string): boolean => (s.state.tasks.get(id)!.system_tags as string[]).includes('archived');

/** The correction keys a version's own labels file holds, from the zip on the file server. */
function labelKeys(s: TestServer, datasetId: string): string[] {
  const keys: string[] = [];
  for (const [path, data] of s.state.files) {
    if (!path.includes(`.${datasetId}/artifacts/data`) || !path.endsWith('.zip')) continue;
    for (const [name, bytes] of readZip(data)) {
      if (name.startsWith('labels/')) keys.push(...bytes.toString('utf8').trim().split('\n').map((l) => (JSON.parse(l) as { key: string }).key));
    }
  }
  return keys.sort();
}

function stateOf(s: TestServer, datasetId: string): DatasetState {
  const path = [...s.state.files.keys()].find((p) => p.includes(`.${datasetId}/artifacts/state/`))!;
  return JSON.parse(s.state.files.get(path)!.toString('utf8')) as DatasetState;
}

/** What another client does to a task through the API: archive it (which stops it when it runs). */
function archiveAsAnotherClient(state: ServerState, task: JsonObject): void {
  if (task.status === 'in_progress') Object.assign(task, { status: 'stopped', last_update: state.now() });
  task.system_tags = [...(task.system_tags as string[]), 'archived'];
}

describe('drafts on a server that stops silent tasks', () => {
  it('a draft the server stopped is not final: its corrections stay pending and the next upload resumes it', async () => {
    const s = await server();
    const { ledger } = memoryLedger();
    const draft = await cancelledAt('registering', s, ledger, [correction(1), correction(2)]);
    expect(s.stopNonResponsive(0)).toBe(1);
    expect(s.state.tasks.get(draft)).toMatchObject({ status: 'stopped', status_reason: 'Forced stop (non-responsive)' });

    const next = uploaded(await upload(s, ledger, [correction(1), correction(2)]));
    expect(next).toMatchObject({ datasetId: draft, resumed: true, version: '1.0.0', keys: ['correction-0001', 'correction-0002'] });
    expect(visible(s)).toEqual([{ id: draft, status: 'completed', version: '1.0.0' }]);
    expect(labelKeys(s, draft)).toEqual(['correction-0001', 'correction-0002']);
    expect(ledger.versionOf('correction-0002')).toEqual({ datasetId: draft, version: '1.0.0' });
  });

  it('a stopped draft of another installation is never a parent: it is archived and the new version keeps every earlier file', async () => {
    const s = await server();
    const a = memoryLedger().ledger;
    const b = memoryLedger().ledger;
    const first = uploaded(await upload(s, a, [correction(1)]));
    const rivalDraft = await cancelledAt('registering', s, b, [correction(2)]);
    s.stopNonResponsive(0);

    const next = uploaded(await upload(s, a, [correction(3)]));
    expect(next).toMatchObject({ parentId: first.datasetId, version: '1.0.1', archivedDrafts: [rivalDraft] });
    expect(archived(s, rivalDraft)).toBe(true);
    expect(visible(s).map((v) => [v.id, v.status, v.version])).toEqual([
      [first.datasetId, 'completed', '1.0.0'],
      [next.datasetId, 'completed', '1.0.1'],
    ]);
    expect(stateOf(s, next.datasetId).dataset_file_entries.map((e) => e.relative_path)).toEqual(
      expect.arrayContaining(['labels/1.0.0.jsonl', 'labels/1.0.1.jsonl', 'embeddings/1.0.0.f32']),
    );
    // The rival's correction was never final: it is still pending there, and goes up on top.
    expect(b.versionOf('correction-0002')).toBeUndefined();
    const rival = uploaded(await upload(s, b, [correction(2)]));
    expect(rival).toMatchObject({ parentId: next.datasetId, version: '1.0.2' });
  });

  it('a draft completed by hand without its state (after the server stopped it) is not final: archived, and its corrections go up in a fresh version', async () => {
    const s = await server();
    const { ledger } = memoryLedger();
    const draft = await cancelledAt('registering', s, ledger, [correction(1)]);
    s.stopNonResponsive(0);
    Object.assign(s.state.tasks.get(draft)!, { status: 'completed' }); // "Mark completed" in the web UI: allowed from stopped

    const next = uploaded(await upload(s, ledger, [correction(1)]));
    expect(next.datasetId).not.toBe(draft);
    expect(next).toMatchObject({ parentId: null, version: '1.0.0', archivedDrafts: [draft], keys: ['correction-0001'] });
    expect(archived(s, draft)).toBe(true);
    expect(visible(s)).toEqual([{ id: next.datasetId, status: 'completed', version: '1.0.0' }]);
    expect(ledger.versionOf('correction-0001')).toEqual({ datasetId: next.datasetId, version: '1.0.0' });
  });

  it('waits for an upload elsewhere that pinged recently, on the server\'s clock, and archives one silent for half an hour', async () => {
    const s = await server();
    s.state.clockOffsetMs = -3 * 60 * MINUTE; // the server's clock is three hours behind this machine's
    const a = memoryLedger().ledger;
    const b = memoryLedger().ledger;
    const rivalDraft = await cancelledAt('registering', s, b, [correction(2)]);

    const refused = await upload(s, a, [correction(1)]);
    expect(refused.ok).toBe(false);
    if (refused.ok) return;
    expect(refused.error.code).toBe('conflict');
    expect(refused.error.message).toMatch(new RegExp(`^Another upload to dataset eno/corrections is in progress \\(task ${rivalDraft}, last active 0 min ago\\)`));

    // 45 minutes without a ping: the real server would stop it only after 2 hours, but it is dead.
    s.state.tasks.get(rivalDraft)!.last_update = new Date(Date.parse(s.state.now()) - 45 * MINUTE).toISOString();
    const next = uploaded(await upload(s, a, [correction(1)]));
    expect(next).toMatchObject({ version: '1.0.0', archivedDrafts: [rivalDraft] });
    expect(s.state.tasks.get(rivalDraft)).toMatchObject({ status: 'stopped' });
    expect(archived(s, rivalDraft)).toBe(true);
  });

  it('a laptop asleep mid-upload: the server stops the draft, the refusal is caught, and a fresh draft carries every correction once', async () => {
    const s = await server();
    const { ledger } = memoryLedger();
    // The server stops the draft just before its first chunk is registered, as after a long sleep.
    s.faults.beforeCall('tasks.add_or_update_artifacts', () => s.stopNonResponsive(0));
    const list = [correction(1), correction(2), correction(3)];
    const result = uploaded(await upload(s, ledger, list));
    const lost = s.state.calls.find((c) => c.endpoint === 'tasks.add_or_update_artifacts')!;
    expect(lost.resultCode).toBe(400);
    const lostId = lost.body.task as string;
    expect(result.datasetId).not.toBe(lostId);
    expect(result).toMatchObject({ version: '1.0.0', archivedDrafts: [lostId], keys: list.map((c) => c.key) });
    expect(archived(s, lostId)).toBe(true);
    expect(visible(s)).toEqual([{ id: result.datasetId, status: 'completed', version: '1.0.0' }]);
    expect(labelKeys(s, result.datasetId)).toEqual(list.map((c) => c.key));
    for (const c of list) expect(ledger.versionOf(c.key)).toEqual({ datasetId: result.datasetId, version: '1.0.0' });
  });

  it('gives up after three drafts lost in a row, with nothing counted uploaded and no draft left visible', async () => {
    const s = await server();
    const { ledger } = memoryLedger();
    for (let i = 0; i < 3; i++) s.faults.beforeCall('tasks.add_or_update_artifacts', () => s.stopNonResponsive(0));
    const result = await upload(s, ledger, [correction(1)]);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.code).toBe('conflict');
    expect(result.error.message).toMatch(/^The ClearML server took away 3 drafts of this upload in a row \(the last one, [0-9a-f]{32}, was refused by the server \(tasks\.add_or_update_artifacts: Invalid task status/);
    expect(ledger.versionOf('correction-0001')).toBeUndefined();
    expect(visible(s)).toEqual([]);
    // Once the server lets it, the next upload carries the correction.
    expect(uploaded(await upload(s, ledger, [correction(1)]))).toMatchObject({ version: '1.0.0', keys: ['correction-0001'] });
  });

  it('a draft archived by another installation just before it was completed is not counted: the corrections go up in a fresh version', async () => {
    const s = await server();
    const { ledger } = memoryLedger();
    s.faults.beforeCall('tasks.completed', (state) => {
      for (const task of state.tasks.values()) if (task.status === 'in_progress') archiveAsAnotherClient(state, task);
    });
    const result = uploaded(await upload(s, ledger, [correction(1)]));
    const completions = s.state.calls.filter((c) => c.endpoint === 'tasks.completed');
    expect(completions).toHaveLength(2);
    const lostId = completions[0]!.body.task as string;
    expect(result.datasetId).toBe(completions[1]!.body.task);
    expect(result).toMatchObject({ version: '1.0.0', archivedDrafts: [lostId] });
    expect(visible(s)).toEqual([{ id: result.datasetId, status: 'completed', version: '1.0.0' }]);
    expect(ledger.versionOf('correction-0001')).toEqual({ datasetId: result.datasetId, version: '1.0.0' });
  });

  it('a draft carries no version until it is final, so Dataset.get never takes it for the newest', async () => {
    const s = await server();
    const { ledger } = memoryLedger();
    const first = uploaded(await upload(s, ledger, [correction(1)]));
    const draft = await cancelledAt('registering', s, ledger, [correction(2)]);
    expect(s.state.tasks.get(draft)!.runtime).not.toHaveProperty('version');
    expect(s.state.tasks.get(draft)!.hyperparams).not.toHaveProperty('properties');
    expect(visible(s).map((v) => v.version)).toEqual(['1.0.0', undefined]);
    const next = uploaded(await upload(s, ledger, [correction(2)]));
    expect(next).toMatchObject({ datasetId: draft, parentId: first.datasetId, version: '1.0.1', resumed: true });
    expect(s.state.tasks.get(draft)!.runtime).toMatchObject({ version: '1.0.1' });
  });
});
