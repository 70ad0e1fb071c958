// What the upload asks the server, against a server that behaves like a real one: pages of at most
// 500 objects (a long lineage must still come back whole), and a project another client created
// between our lookup and our create (the server answers 400; look again, as the SDK does).
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { tempDir } from '../../test-support/fixtures';
import { seedVersionChain } from '../../test-support/clearml-server/dataset-seed';
import { correction, memoryLedger, pendingOf, testClient } from '../../test-support/clearml-server/fixtures';
import { startTestServer, type TestServer } from '../../test-support/clearml-server/server';
import { uploadCorrections, type UploadOutcome } from './datasets';
import type { DatasetStruct } from './dataset-state';
import { ensureDatasetProjects } from './dataset-server';
import type { Result } from './errors';

const tmp = tempDir('eno-clearml-dataset-server-');
const servers: TestServer[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) await s.stop();
});

async function server(): Promise<TestServer> {
  const s = await startTestServer();
  servers.push(s);
  return s;
}

function uploaded(result: Result<UploadOutcome>): Extract<UploadOutcome, { status: 'uploaded' }> {
  if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message}`);
  if (result.value.status !== 'uploaded') throw new Error('nothing uploaded');
  return result.value;
}

describe('dataset server calls', () => {
  it('builds on a lineage longer than one page: Dataset Struct names every ancestor with its status', async () => {
    const s = await server();
    const chain = seedVersionChain(s, { project: 'eno', name: 'corrections', count: 520 });
    const { ledger } = memoryLedger();
    const result = uploaded(await uploadCorrections(testClient(s), pendingOf(ledger, [correction(1)]), { ledger, appVersion: '0.1.0-test', workDir: join(tmp.dir, 'long') }));
    expect(result).toMatchObject({ parentId: chain.at(-1)!.id, version: '1.0.520' });
    const config = s.state.tasks.get(result.datasetId)!.configuration as Record<string, { value: string }>;
    const struct = JSON.parse(config['Dataset Struct']!.value) as DatasetStruct;
    const nodes = Object.values(struct);
    expect(nodes).toHaveLength(521);
    expect(nodes.filter((n) => n.job_id !== result.datasetId).map((n) => [n.status, n.version])).toEqual(chain.map((v) => ['completed', v.version]));
  });

  it('looks the project up again when another client created it between the lookup and the create', async () => {
    const s = await server();
    s.faults.beforeCall('projects.create', (state) => state.ensureProject('raced/.datasets', { system_tags: ['hidden'] }));
    const id = await ensureDatasetProjects(testClient(s), 'raced', 'corrections');
    expect(s.state.projects.get(id)).toMatchObject({ name: 'raced/.datasets/corrections', system_tags: ['hidden', 'dataset'] });
    const creates = s.state.calls.filter((c) => c.endpoint === 'projects.create').map((c) => [c.body.name, c.resultCode]);
    expect(creates).toEqual([
      ['raced/.datasets', 400],
      ['raced/.datasets/corrections', 200],
    ]);
  });
});
