// Choosing the model set in the Models dialog: the AudioSet model (EfficientAT mn04) unticked with
// the keyboard and ticked again with the mouse, the core's appInfo and saved settings following,
// the notice saying what now tags, and a track's tags coming from the models of the set.
import { copyFileSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppInfo, TrackDetail, TrackPage } from '../src-preload/contract';
import { sharedClip, tempDir } from '../test-support/fixtures';
import { launchChromium, openApp, request, screenshot, waitForTagged } from './support/browser';
import { startEnoServe, type EnoServe } from './support/eno-serve';

const tmp = tempDir('eno-e2e-set-choice-');
const dataDir = join(tmp.dir, 'data');
const music = join(tmp.dir, 'music');
mkdirSync(music);
copyFileSync(sharedClip('music/sorohanro_-_solo-trumpet-06.ogg'), join(music, 'trumpet.ogg'));

let serve: EnoServe;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  serve = await startEnoServe(dataDir);
  browser = await launchChromium();
  page = await openApp(browser, serve.url);
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await serve?.stop();
  tmp.cleanup();
});

/** The models the tags of the library's one track come from. */
async function tagModels(): Promise<string[]> {
  const tracks = await request<TrackPage>(page, 'queryTracks', { offset: 0, limit: 1 });
  const detail = await request<TrackDetail>(page, 'getTrack', { id: tracks.rows[0]!.id });
  return [...new Set(detail.prediction?.tags.map((t) => t.model ?? 'none'))].sort();
}

const audiosetInSet = async (): Promise<boolean> => (await request<AppInfo>(page, 'appInfo')).modelSet.audioset;
const savedChoice = (): unknown => (JSON.parse(readFileSync(join(dataDir, 'settings.json'), 'utf8')) as { audiosetModel: unknown }).audiosetModel;

describe('the model set in the Models dialog', () => {
  it('takes the AudioSet model out of the set and puts it back', async () => {
    await request(page, 'addFolder', { path: music });
    await waitForTagged(page, 1);
    expect(await tagModels()).toEqual(['efficientat-mn04', 'musicnn-msd']);
    // The top bar names the whole set.
    expect(await page.textContent('[data-testid="model-badge"]')).toMatch(/^musicnn \(MSD\) 1\.0\.0 \+ mn04 · CPU$/);

    await page.click('[data-testid="model-badge"]');
    const dialog = page.locator('[role="dialog"][aria-label="Models"]');
    const section = dialog.locator('section[aria-labelledby="model-set-heading"]');
    const box = dialog.getByRole('checkbox', { name: 'AudioSet (EfficientAT mn04): 154 music classes, instruments, and music-or-not' });
    await expect.poll(async () => box.isChecked()).toBe(true);
    const active = section.getByRole('checkbox', { name: 'musicnn (MSD) 1.0.0 · the active model, always in the set' });
    expect([await active.isChecked(), await active.isDisabled()]).toEqual([true, true]);
    expect(await section.textContent()).toContain("Changing the set updates every track's tags at once from what is stored, and tags in the background what the new set still has to.");
    for (const [w, h] of [[1024, 700], [1920, 1080]] as const) {
      await page.setViewportSize({ width: w, height: h });
      await screenshot(page, `model-set-choice-${w}x${h}`);
    }

    // Keyboard: the box takes focus and Space unticks it.
    await box.focus();
    await page.keyboard.press('Space');
    await screenshot(page, 'model-set-choice-switching');
    await expect.poll(audiosetInSet).toBe(false);
    await expect.poll(async () => box.isEnabled()).toBe(true);
    expect(await box.isChecked()).toBe(false);
    expect(savedChoice()).toBe(false);
    await expect.poll(async () => page.locator('.notice').allTextContents()).toContain('Now tagging with musicnn (MSD) 1.0.0; 0 track(s) queued for re-tagging');
    expect(await tagModels()).toEqual(['musicnn-msd']);
    expect(await page.textContent('[data-testid="model-badge"]')).toMatch(/^musicnn \(MSD\) 1\.0\.0 · CPU$/);
    await screenshot(page, 'model-set-choice-off');

    // Closed and opened again, the dialog shows the set the core has.
    await dialog.locator('button:has-text("Close")').click();
    await page.click('[data-testid="model-badge"]');
    await expect.poll(async () => box.isChecked()).toBe(false);

    await box.click();
    await expect.poll(audiosetInSet).toBe(true);
    await expect.poll(async () => box.isEnabled()).toBe(true);
    expect(await box.isChecked()).toBe(true);
    expect(savedChoice()).toBe(true);
    expect(await tagModels()).toEqual(['efficientat-mn04', 'musicnn-msd']);
  });
});
