// Writing tags into a file from the window, in Chromium against browser mode: review a track,
// write its tags into its MP3 (read back by mutagen, the audio checksum unchanged), see the write
// on the track, undo it, and the batch dialog's preview.
import { chmodSync, copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TrackDetail } from '../src-preload/contract';
import { sharedClip, tempDir } from '../test-support/fixtures';
import { audioMd5, mutagenTags } from '../test-support/tagged-files';
import { launchChromium, openApp, request, screenshot, waitForTagged } from './support/browser';
import { startEnoServe, type EnoServe } from './support/eno-serve';

const tmp = tempDir('eno-e2e-filetags-');
const dataDir = join(tmp.dir, 'data');
const music = join(tmp.dir, 'music');
const track = join(music, 'bensound-thejazzpiano.mp3');

let serve: EnoServe;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  mkdirSync(music, { recursive: true });
  copyFileSync(sharedClip('music/bensound-thejazzpiano.mp3'), track);
  chmodSync(track, 0o644);
  mutagenTags(track); // the pinned venv, made before the timed steps
  serve = await startEnoServe(dataDir);
  browser = await launchChromium();
  page = await openApp(browser, serve.url);
  page.on('pageerror', (e) => console.error(`page error: ${e.message}`));
}, 600_000);

afterAll(async () => {
  await browser?.close();
  await serve?.stop();
  tmp.cleanup();
});

async function waitForQueueIdle(): Promise<void> {
  await waitForTagged(page, 1);
}

describe('tags in files', () => {
  it('reviews a track, writes its tags into the file, and undoes the write', async () => {
    await page.fill('input[aria-label="Folder to add"]', music);
    await page.click('form.folder-form button[type="submit"]');
    await waitForQueueIdle();
    await page.locator('.table-row', { hasText: 'thejazzpiano' }).or(page.locator('.table-row').first()).first().click();
    const panel = page.getByTestId('file-tags-panel');
    await expect.poll(() => panel.isVisible()).toBe(true);

    // Review: reject the first tag, add "blues" (a genre of the model), mark reviewed.
    const trackId = Number(await page.locator('.track-pane').getAttribute('data-track-id'));
    const before = await request<TrackDetail>(page, 'getTrack', { id: trackId });
    const rejected = before.finalTags[0]!;
    await page.keyboard.press('1');
    await expect.poll(() => page.locator(`.chip[data-tag="${rejected}"]`).getAttribute('data-state')).toBe('rejected');
    await page.keyboard.press('t');
    await page.keyboard.type('blues');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.locator('.chip[data-tag="blues"]').getAttribute('data-state')).toMatch(/accepted|added/);
    await page.getByRole('button', { name: /Mark reviewed/ }).click();
    await expect.poll(async () => (await request<TrackDetail>(page, 'getTrack', { id: trackId })).reviewedAt !== null).toBe(true);
    await page.locator(`.table-row[data-track-id="${trackId}"]`).click();
    await expect.poll(() => page.getByTestId('file-changes').textContent()).toMatch(/genre/);
    await screenshot(page, 'file-tags-before-write');

    const md5 = audioMd5(track);
    const original = mutagenTags(track)[0]!;
    expect(original.tags.TCON).toEqual(['Abstract']);

    await panel.getByRole('button', { name: 'Write tags' }).click();
    await expect.poll(() => page.getByTestId('last-write').textContent(), { timeout: 60_000 }).toMatch(/Written into the file/);
    const written = mutagenTags(track)[0]!;
    expect(written.id3_version).toBe('2.3');
    const genre = written.tags.TCON?.[0] ?? '';
    // Merged with the file's own genre, joined for ID3v2.3 with the default separator.
    expect(genre).toMatch(/^Abstract; .*\bBlues\b/);
    expect(genre.toLowerCase()).not.toContain(rejected.toLowerCase());
    expect(audioMd5(track)).toBe(md5);
    await expect.poll(() => page.getByTestId('file-genre').textContent()).toMatch(/Blues/);
    await page.setViewportSize({ width: 1024, height: 700 });
    await panel.scrollIntoViewIfNeeded();
    await screenshot(page, 'file-tags-written-1024');
    await page.setViewportSize({ width: 1920, height: 1080 });
    await screenshot(page, 'file-tags-written-1920');

    await panel.getByRole('button', { name: 'Undo write' }).click();
    await expect.poll(() => page.getByTestId('last-write').textContent(), { timeout: 60_000 }).toMatch(/Write undone/);
    const undone = mutagenTags(track)[0]!;
    expect(undone.tags).toEqual(original.tags);
    expect(audioMd5(track)).toBe(md5);
    // The track is the same track: one row, its review kept.
    expect((await request<TrackDetail>(page, 'getTrack', { id: trackId })).reviewedAt).not.toBeNull();
  }, 300_000);

  it('previews a batch for the whole library in the dialog', async () => {
    await page.getByTestId('write-tags-button').click();
    const dialog = page.getByRole('dialog', { name: 'Write tags into files' });
    await dialog.getByText('Whole library').click();
    await expect.poll(() => dialog.getByTestId('write-preview').textContent()).toMatch(/^1 file\(s\): 1 would change/);
    await expect.poll(() => dialog.locator('.batch-history li').count()).toBeGreaterThanOrEqual(2);
    await dialog.locator('summary', { hasText: 'Settings' }).click();
    await page.setViewportSize({ width: 1024, height: 700 });
    await screenshot(page, 'file-tags-dialog-1024');
    await page.setViewportSize({ width: 1920, height: 1080 });
    await screenshot(page, 'file-tags-dialog-1920');
  }, 120_000);
});
