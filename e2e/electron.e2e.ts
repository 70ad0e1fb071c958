// The main flow in the real Electron window (Playwright's Electron launcher). The Electron binary
// is downloaded from GitHub at install time; where that was impossible this suite is skipped, and
// says why in its name. The same flow runs in Chromium against browser mode in main-flow.e2e.ts.
import { join } from 'node:path';
import { _electron as electron, type ElectronApplication } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
// @ts-expect-error: a plain .mjs helper shared with the npm scripts
import { electronBinary } from '../scripts/electron-binary.mjs';
import { REPO_ROOT, SHARED_AUDIO, tempDir } from '../test-support/fixtures';

const binary = electronBinary() as { path?: string; missing?: string };
const title = binary.path
  ? 'Electron window: main flow'
  : `Electron window: main flow (skipped: ${binary.missing}; run "npm install" where github.com is reachable)`;

describe.skipIf(!binary.path)(title, () => {
  const tmp = tempDir('eno-electron-');
  let app: ElectronApplication | undefined;
  afterAll(async () => {
    await app?.close();
    tmp.cleanup();
  });

  it('opens a sandboxed window, tags a folder and reviews a track from the keyboard', async () => {
    app = await electron.launch({
      executablePath: binary.path!,
      args: [REPO_ROOT],
      env: { ...process.env, ENO_DATA_DIR: join(tmp.dir, 'data') },
    });
    const page = await app.firstWindow();
    await page.waitForSelector('.top-bar');
    // The renderer has the contract and nothing of Node.
    expect(await page.evaluate(() => typeof (globalThis as { require?: unknown }).require)).toBe('undefined');
    expect(await page.evaluate(() => Object.keys(window.eno ?? {}).includes('label'))).toBe(true);
    await page.evaluate((path) => window.eno!.addFolder({ path }), join(SHARED_AUDIO, 'music'));
    await expect.poll(async () => page.locator('.table-row .status.tagged').count(), { timeout: 120_000 }).toBe(14);
    await page.locator('.table-row').first().click();
    await page.waitForSelector('[data-testid="waveform"] div');
    await page.keyboard.press('r');
    await expect.poll(async () => page.locator('.table-row .status.reviewed').count(), { timeout: 10_000 }).toBe(1);
  }, 240_000);
});
