// The default model set in the window: a track's tags come from musicnn and from mn04 (AudioSet),
// each chip and the tag filter naming its model, and a recording of speech is set aside as
// "not music" until the person says it is music.
import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TrackDetail } from '../src-preload/contract';
import { sharedClip, tempDir } from '../test-support/fixtures';
import { launchChromium, openApp, request, screenshot, waitForTagged } from './support/browser';
import { startEnoServe, type EnoServe } from './support/eno-serve';

const tmp = tempDir('eno-e2e-set-');
const music = join(tmp.dir, 'music');
mkdirSync(music);
copyFileSync(sharedClip('music/bensound-thejazzpiano.mp3'), join(music, 'bensound-thejazzpiano.mp3'));
copyFileSync(sharedClip('nonmusic/198-209-0000.ogg'), join(music, 'reading.ogg'));

let serve: EnoServe;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  serve = await startEnoServe(join(tmp.dir, 'data'));
  browser = await launchChromium();
  page = await openApp(browser, serve.url);
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await serve?.stop();
  tmp.cleanup();
});

describe('the default model set in the track view', () => {
  it('shows tags of both models, each marked with its model, and sets speech aside as not music', async () => {
    await page.fill('input[aria-label="Folder to add"]', music);
    await page.click('form.folder-form button[type="submit"]');
    await waitForTagged(page, 2);

    await page.locator('.table-row', { hasText: 'The Jazz Piano' }).click();
    await expect.poll(async () => page.locator('.chip[data-model="musicnn-msd"]').count()).toBeGreaterThan(0);
    await expect.poll(async () => page.locator('.chip[data-model="efficientat-mn04"]').count()).toBeGreaterThan(0);
    expect(await page.locator('.chip[data-tag="jazz"]').getAttribute('data-model')).toBe('musicnn-msd');
    expect(await page.locator('.chip[data-tag="Piano"]').getAttribute('data-model')).toBe('efficientat-mn04');
    expect(await page.locator('.chip[data-tag="Piano"] .model-mark').textContent()).toMatch(/mn04/);
    expect(await page.locator('select[aria-label="Tag filter"] option[value="Jazz"]').textContent()).toBe('Jazz · mn04');
    for (const [w, h] of [[1024, 700], [1920, 1080]] as const) {
      await page.setViewportSize({ width: w, height: h });
      await screenshot(page, `model-set-${w}x${h}`);
    }

    // Key 1 toggles the first numbered tag (musicnn's "jazz"): rejected, then back to the prediction.
    const id = Number(await page.locator('.track-pane').getAttribute('data-track-id'));
    const labels = async (): Promise<string[]> => (await request<TrackDetail>(page, 'getTrack', { id })).labels.map((l) => `${l.tag}:${l.state}`);
    await page.locator('.track-table').focus();
    await page.keyboard.press('1');
    await expect.poll(labels).toEqual(['jazz:rejected']);
    await page.keyboard.press('1');
    await expect.poll(labels).toEqual([]);

    const reading = page.locator('.table-row', { hasText: 'reading' });
    await expect.poll(async () => reading.locator('.status').textContent()).toBe('not music');
    await reading.click();
    await expect.poll(async () => page.locator('.not-music').textContent()).toMatch(/Not music/);
    await screenshot(page, 'not-music');
    await page.click('.not-music button');
    await expect.poll(async () => reading.locator('.status').textContent()).toBe('tagged');
  });
});
