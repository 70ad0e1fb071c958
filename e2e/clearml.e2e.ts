// The ClearML screens in Chromium against browser mode and the ClearML-compatible test server:
// settings with where each value came from and the connection test, an upload with preview and
// history (and a server outage in the middle of it: a clear message, then a retry that works),
// and a registry model downloaded and made active.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { QueueStatus, TrackPage } from '../src-preload/contract';
import { uploadFile } from '../src-main/clearml/files';
import { testClient } from '../test-support/clearml-server/fixtures';
import { startTestServer, type TestServer } from '../test-support/clearml-server/server';
import { DEFAULT_MODEL_DIR, SHARED_AUDIO, tempDir } from '../test-support/fixtures';
import { launchChromium, openApp, request } from './support/browser';
import { startEnoServe, type EnoServe } from './support/eno-serve';

const tmp = tempDir('eno-e2e-clearml-');
let clearml: TestServer;
let serve: EnoServe;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  clearml = await startTestServer();
  // The four short non-music clips stand in for songs: musicnn alone tags them (the default set
  // would judge them not music and keep them out of uploads).
  mkdirSync(join(tmp.dir, 'data'), { recursive: true });
  writeFileSync(join(tmp.dir, 'data', 'settings.json'), JSON.stringify({ audiosetModel: false }));
  serve = await startEnoServe(join(tmp.dir, 'data'), [], {
    HOME: join(tmp.dir, 'home'),
    CLEARML_CONFIG_FILE: join(tmp.dir, 'none.conf'),
    CLEARML_API_HOST: clearml.apiUrl,
    CLEARML_WEB_HOST: clearml.webUrl,
    CLEARML_FILES_HOST: clearml.filesUrl,
    CLEARML_API_ACCESS_KEY: clearml.credentials.accessKey,
    CLEARML_API_SECRET_KEY: clearml.credentials.secretKey,
  });
  browser = await launchChromium();
  page = await openApp(browser, serve.url);
  await request(page, 'addFolder', { path: join(SHARED_AUDIO, 'nonmusic') });
  for (let i = 0; i < 600; i++) {
    const s = await request<QueueStatus>(page, 'queueStatus');
    if (s.state === 'idle' && s.done === 4) return;
    await page.waitForTimeout(100);
  }
  throw new Error('the shared clips were not tagged');
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await serve?.stop();
  await clearml?.stop();
  tmp.cleanup();
});

async function correctFirstTrack(tag: string): Promise<void> {
  const tracks = await request<TrackPage>(page, 'queryTracks', { offset: 0, limit: 10 });
  await request(page, 'label', { trackIds: [tracks.rows[0]!.id], action: 'add', tag });
}

describe('ClearML screens', () => {
  it('shows the resolved settings with their sources and tests the connection', async () => {
    await page.click('button:has-text("Settings")');
    const dialog = page.locator('[role="dialog"][aria-label="Settings"]');
    await expect.poll(async () => dialog.locator('input[aria-label="API server"]').inputValue()).toBe(clearml.apiUrl);
    expect(await dialog.textContent()).toContain('from env:CLEARML_API_HOST');
    await dialog.locator('button:has-text("Test connection")').click();
    await expect.poll(async () => dialog.locator('[role="status"]').textContent()).toBe(`Connected to ${clearml.apiUrl}`);
    await dialog.locator('button:has-text("Close")').click();
  });

  it('uploads with a preview, reports an outage clearly, and a retry finishes the job', async () => {
    await correctFirstTrack('ocean');
    await page.click('button:has-text("Upload")');
    const dialog = page.locator('[role="dialog"][aria-label="Upload corrections"]');
    await expect.poll(async () => dialog.locator('[data-testid="pending-count"]').textContent()).toMatch(/^1 corrected track\(s\) will go up as a new dataset version\. New tags: ocean\./);
    expect(await dialog.locator('.added-tag').first().textContent()).toContain('+ocean');

    // The same server comes back on the same ports with the same keys and data.
    const ports = {
      apiPort: Number(new URL(clearml.apiUrl).port),
      filesPort: Number(new URL(clearml.filesUrl).port),
      state: clearml.state,
      credentials: clearml.credentials,
    };
    await clearml.stop();
    await dialog.locator('button.primary').click();
    await expect.poll(async () => dialog.locator('p.error-text[role="status"]').textContent(), { timeout: 60_000 }).toMatch(/refused|not reachable|cannot reach/i);

    clearml = await startTestServer(ports);
    await dialog.locator('button.primary').click();
    await expect.poll(async () => dialog.locator('p.ok-text[role="status"]').textContent(), { timeout: 60_000 }).toMatch(/^Uploaded 1 correction\(s\) as eno\/corrections 1\.0\.0/);
    await expect.poll(async () => dialog.locator('table.simple tbody tr').count()).toBe(1);
    await expect.poll(async () => dialog.locator('[data-testid="pending-count"]').textContent()).toBe('Nothing new to upload.');
    await dialog.locator('button:has-text("Close")').click();
  }, 120_000);

  it('downloads a registry model and makes it the active one', async () => {
    const client = testClient(clearml);
    const uri = await uploadFile(client, { localPath: join(DEFAULT_MODEL_DIR, 'model.onnx'), objectPath: 'eno/train.e2e/models/model.onnx' });
    const manifest = JSON.parse(readFileSync(join(DEFAULT_MODEL_DIR, 'eno-model.json'), 'utf8')) as Record<string, unknown>;
    await client.call('models.create', {
      name: 'musicnn retrained',
      uri,
      framework: 'ONNX',
      tags: ['eno'],
      ready: true,
      design: { design: JSON.stringify({ ...manifest, version: '1.2.0' }) },
    });
    await page.click('[data-testid="model-badge"]');
    const dialog = page.locator('[role="dialog"][aria-label="Models"]');
    await dialog.locator('button:has-text("Download")').click();
    await expect.poll(async () => dialog.locator('button:has-text("Use")').count(), { timeout: 30_000 }).toBe(1);
    await dialog.locator('button:has-text("Use")').click();
    await expect.poll(async () => page.textContent('[data-testid="model-badge"]'), { timeout: 30_000 }).toMatch(/1\.2\.0/);
    await page.keyboard.press('Escape');
  }, 60_000);
});
