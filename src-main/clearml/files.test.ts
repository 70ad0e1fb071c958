import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../../test-support/fixtures';
import { downloadFile, quoteObjectPath, uploadFile } from './files';
import { testClient } from '../../test-support/clearml-server/fixtures';
import { startTestServer, type TestServer } from '../../test-support/clearml-server/server';

const tmp = tempDir('eno-clearml-files-');
let server: TestServer;
const big = join(tmp.dir, 'big.bin');
const bigBytes = randomBytes(6 * 1024 * 1024 + 123);

beforeAll(async () => {
  server = await startTestServer();
  writeFileSync(big, bigBytes);
});
afterAll(async () => {
  await server.stop();
  tmp.cleanup();
});

describe('file server transfers', () => {
  it('uploads a file streamed from disk with progress, under its object path, and returns the percent-encoded URI', async () => {
    const client = testClient(server);
    const progress: number[] = [];
    const uri = await uploadFile(client, {
      localPath: big,
      objectPath: 'eno/.datasets/corrections/corrections.abc/artifacts/data/my file.zip',
      onProgress: (p) => {
        expect(p.totalBytes).toBe(bigBytes.length);
        progress.push(p.doneBytes);
      },
    });
    expect(uri).toBe(`${server.filesUrl}/eno/.datasets/corrections/corrections.abc/artifacts/data/my%20file.zip`);
    expect(server.state.files.get('eno/.datasets/corrections/corrections.abc/artifacts/data/my file.zip')!.equals(bigBytes)).toBe(true);
    // Streamed in read-stream-sized pieces, not as one buffer.
    expect(progress.length).toBeGreaterThan(50);
    expect(progress.at(-1)).toBe(bigBytes.length);
    expect(quoteObjectPath("a b/c(1)!'*.zip")).toBe('a%20b/c%281%29%21%27%2A.zip');
  });

  it('downloads through a temporary file, verifying the checksum, and retries a cut connection', async () => {
    const client = testClient(server);
    server.state.files.set('eno/weights.bin', bigBytes);
    const dest = join(tmp.dir, 'dl', 'weights.bin');
    const sha = (await import('node:crypto')).createHash('sha256').update(bigBytes).digest('hex');
    server.faults.cutDownload(1, 100_000);
    const progress: number[] = [];
    const got = await downloadFile(client, { url: `${server.filesUrl}/eno/weights.bin`, destPath: dest, expectedSha256: sha, onProgress: (p) => progress.push(p.doneBytes) });
    expect(got).toEqual({ path: dest, sha256: sha, sizeBytes: bigBytes.length });
    expect(readFileSync(dest).equals(bigBytes)).toBe(true);
    expect(readdirSync(join(tmp.dir, 'dl'))).toEqual(['weights.bin']);
    expect(progress.at(-1)).toBe(bigBytes.length);
  });

  it('leaves nothing at the destination when the download fails', async () => {
    const client = testClient(server, { retries: 0 });
    const dest = join(tmp.dir, 'fail', 'weights.bin');
    server.faults.cutDownload(1, 100_000);
    await expect(downloadFile(client, { url: `${server.filesUrl}/eno/weights.bin`, destPath: dest })).rejects.toMatchObject({ code: 'network' });
    await expect(downloadFile(client, { url: `${server.filesUrl}/eno/missing.bin`, destPath: dest })).rejects.toMatchObject({ code: 'api', message: expect.stringMatching(/HTTP 404/) });
    await expect(downloadFile(client, { url: `${server.filesUrl}/eno/weights.bin`, destPath: dest, expectedSha256: '0'.repeat(64) })).rejects.toMatchObject({ code: 'checksum' });
    expect(existsSync(dest)).toBe(false);
    expect(readdirSync(join(tmp.dir, 'fail'))).toEqual([]);
  });
});
