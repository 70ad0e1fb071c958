// The main flow in Chromium against browser mode (`eno serve` on a temporary data folder), with
// the shared clips: add a folder and watch tags arrive, a corrupt file's error on its row, dropped
// files, the track view (waveform, taggram, play and seek), a keyboard-only review, and corrections
// surviving a restart and a kill -9.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { QueueStatus, TrackDetail, TrackPage } from '../src-preload/contract';
import { SHARED_AUDIO, sharedClip, tempDir } from '../test-support/fixtures';
import { launchChromium, openApp, request, screenshot } from './support/browser';
import { startEnoServe, type EnoServe } from './support/eno-serve';

const tmp = tempDir('eno-e2e-');
const dataDir = join(tmp.dir, 'data');
const badFolder = join(tmp.dir, 'bad');
mkdirSync(badFolder);
writeFileSync(join(badFolder, 'corrupt.mp3'), Buffer.from(Array.from({ length: 30000 }, (_, i) => (i * 7919 + 11) % 256)));

let serve: EnoServe;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  serve = await startEnoServe(dataDir);
  browser = await launchChromium();
  page = await openApp(browser, serve.url);
  page.on('console', (m) => m.type() === 'error' && console.error(`page: ${m.text()}`));
  page.on('pageerror', (e) => console.error(`page error: ${e.message}`));
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await serve?.stop();
  tmp.cleanup();
});

/** Adds a folder the way a person does in browser mode: "+" opens the folders dialog at its path field. */
async function addFolderFromUi(path: string): Promise<void> {
  await page.click('.top-bar button[aria-label="Add folder"]');
  const dialog = page.locator('[role="dialog"][aria-label="Library folders"]');
  await dialog.locator('input[aria-label="Folder to add"]').fill(path);
  await dialog.locator('form.folder-form button[type="submit"]').click();
  await page.keyboard.press('Escape');
  await page.waitForSelector('[role="dialog"]', { state: 'detached' });
}

async function waitForQueueIdle(timeoutMs = 120_000): Promise<QueueStatus> {
  const started = Date.now();
  for (;;) {
    const status = await request<QueueStatus>(page, 'queueStatus');
    if (status.state === 'idle' && status.total > 0) return status;
    if (Date.now() - started > timeoutMs) throw new Error(`queue still busy: ${JSON.stringify(status)}`);
    await page.waitForTimeout(250);
  }
}

const rowFor = (title: string) => page.locator('.table-row', { hasText: title });

/** The focused track's id once the track view shows that same track. */
async function shownTrackId(): Promise<number> {
  let id = 0;
  await expect
    .poll(async () => {
      const focused = await page.locator('.table-row.focused').getAttribute('data-track-id');
      const shown = await page.locator('.track-pane').getAttribute('data-track-id');
      id = Number(shown);
      return focused !== null && focused === shown;
    })
    .toBe(true);
  return id;
}

describe('browser mode', () => {
  it('adds a folder and shows tags arriving with progress', async () => {
    // An empty library says how to start instead of showing an empty table.
    await expect.poll(async () => page.locator('[data-testid="empty-library"]').innerText()).toMatch(/Add a folder of music[\s\S]*drop music files[\s\S]*eno tag ~\/Music --data-dir/);
    await addFolderFromUi(join(SHARED_AUDIO, 'music'));
    // Progress shows while the queue runs.
    await expect.poll(async () => page.textContent('[data-testid="queue-text"]'), { timeout: 30_000 }).toMatch(/\d+\/14 tagged · ETA [\d:-]+ · [\d.]+ tracks\/s/);
    const status = await waitForQueueIdle();
    expect(status.done).toBe(14);
    await expect.poll(async () => page.textContent('[data-testid="track-count"]'), { timeout: 10_000 }).toBe('14 tracks');
    const piano = rowFor('The Jazz Piano');
    await expect.poll(async () => piano.textContent(), { timeout: 10_000 }).toMatch(/jazz/);
    await expect.poll(async () => page.locator('.table-row .status.tagged').count(), { timeout: 10_000 }).toBe(14);
    await screenshot(page, 'library');
  }, 180_000);

  it('shows a corrupt file with its error on its row', async () => {
    await addFolderFromUi(badFolder);
    await waitForQueueIdle();
    const row = rowFor('corrupt');
    await expect.poll(async () => row.textContent(), { timeout: 20_000 }).toMatch(/not an audio file ffmpeg can read/);
    expect(await row.locator('.status').textContent()).toBe('error');
  }, 60_000);

  it('adds dropped files and tags them first', async () => {
    const files = ['nonmusic/glacier-bay-humpback.ogg', 'nonmusic/pibble.ogg'].map((f) => ({
      name: f.split('/')[1]!,
      base64: readFileSync(sharedClip(f)).toString('base64'),
    }));
    await page.evaluate(async (list) => {
      const dt = new DataTransfer();
      for (const f of list) {
        const bytes = Uint8Array.from(atob(f.base64), (c) => c.charCodeAt(0));
        dt.items.add(new File([bytes], f.name, { type: 'audio/ogg' }));
      }
      for (const type of ['dragenter', 'dragover', 'drop']) {
        window.dispatchEvent(new DragEvent(type, { dataTransfer: dt, bubbles: true, cancelable: true }));
      }
    }, files);
    await expect.poll(async () => page.textContent('.notices'), { timeout: 20_000 }).toMatch(/Added 2 file\(s\), 2 queued for tagging first/);
    await waitForQueueIdle();
    // A whale and a dog: tagged, and judged not music by the default model set.
    for (const name of ['glacier-bay-humpback', 'pibble']) {
      await expect.poll(async () => rowFor(name).locator('.status').textContent(), { timeout: 20_000 }).toBe('not music');
    }
  }, 90_000);

  it('opens a track: waveform, taggram, play and seek', async () => {
    await page.fill('#search', 'thejazzpiano');
    await expect.poll(async () => page.textContent('[data-testid="track-count"]')).toBe('1 track');
    await rowFor('The Jazz Piano').click();
    await page.waitForSelector('[data-testid="waveform"] div', { timeout: 10_000 });
    await page.waitForSelector('[data-testid="taggram"]');
    expect(await page.locator('.chip[data-tag="jazz"]').getAttribute('data-state')).toBe('predicted');
    const time = (): Promise<number> => page.$eval('[data-testid="audio"]', (a) => (a as HTMLAudioElement).currentTime);
    await page.keyboard.press('Space');
    await expect.poll(time, { timeout: 10_000 }).toBeGreaterThan(0.3);
    // A correction while listening neither stops nor rewinds the music; pressing again takes it back.
    const id = Number(await page.locator('.track-pane').getAttribute('data-track-id'));
    const labelCount = async (): Promise<number> => (await request<TrackDetail>(page, 'getTrack', { id })).labels.length;
    for (const expected of [1, 0]) {
      await page.keyboard.press('1');
      await expect.poll(labelCount).toBe(expected);
      const during = await time();
      await expect.poll(time, { timeout: 5000 }).toBeGreaterThan(during + 0.5);
      expect(await page.$eval('[data-testid="audio"]', (a) => (a as HTMLAudioElement).paused)).toBe(false);
    }
    const before = await time();
    await page.keyboard.press('ArrowRight');
    await expect.poll(time, { timeout: 5000 }).toBeGreaterThan(before + 4);
    await page.keyboard.press('Space');
    // Clicking a late column of the taggram seeks there (columns start after the tag names).
    const box = (await page.locator('[data-testid="taggram"]').boundingBox())!;
    await page.mouse.click(box.x + 110 + (box.width - 110) * 0.85, box.y + 5);
    await expect.poll(time, { timeout: 5000 }).toBeGreaterThan(20);
    await screenshot(page, 'track-view');
    await page.fill('#search', '');
    await expect.poll(async () => page.textContent('[data-testid="track-count"]')).toBe('17 tracks');
  }, 60_000);

  it('reviews a track with the keyboard only', async () => {
    // Only tagged tracks, so whichever one the keys land on has tags to correct.
    await page.locator('.status-filter').getByRole('button', { name: 'tagged', exact: true }).click();
    await expect.poll(async () => page.textContent('[data-testid="track-count"]')).toBe('14 tracks');
    await page.locator('.track-table').focus();
    await page.keyboard.press('j');
    await page.keyboard.press('k');
    await page.keyboard.press('j');
    const id = await shownTrackId();
    const before = await request<TrackDetail>(page, 'getTrack', { id });
    const first = await page.locator('.chip').first().getAttribute('data-tag');
    await page.keyboard.press('1');
    await expect.poll(async () => (await request<TrackDetail>(page, 'getTrack', { id })).labels.map((l) => l.tag)).toContain(first);
    await page.keyboard.press('t');
    await page.keyboard.type('late night');
    await page.keyboard.press('Enter');
    await expect.poll(async () => (await request<TrackDetail>(page, 'getTrack', { id })).finalTags).toContain('late night');
    // The field empties and lets go of the keyboard once the page has the core's answer.
    await expect.poll(async () => page.evaluate(() => document.activeElement?.tagName)).not.toBe('INPUT');
    await page.keyboard.press('r');
    await expect.poll(async () => (await request<TrackDetail>(page, 'getTrack', { id })).row.status).toBe('reviewed');
    await expect.poll(shownTrackId).not.toBe(id);
    const after = await request<TrackDetail>(page, 'getTrack', { id });
    expect(after.finalTags.includes(first!)).toBe(!before.finalTags.includes(first!));
    // Undo from the keyboard takes the review mark back, redo restores it.
    await page.keyboard.press('Control+z');
    await expect.poll(async () => (await request<TrackDetail>(page, 'getTrack', { id })).row.status).toBe('tagged');
    await page.keyboard.press('Control+Shift+z');
    await expect.poll(async () => (await request<TrackDetail>(page, 'getTrack', { id })).row.status).toBe('reviewed');
    // The help overlay opens with "?" and closes with Escape.
    await page.keyboard.press('?');
    await page.waitForSelector('[role="dialog"][aria-label="Keyboard shortcuts"]');
    await page.keyboard.press('Escape');
    await page.waitForSelector('[role="dialog"]', { state: 'detached' });
  }, 60_000);

  it('keeps every confirmed correction across a restart and a kill -9', async () => {
    const tracks = await request<TrackPage>(page, 'queryTracks', { statuses: ['tagged'], offset: 0, limit: 5 });
    const target = tracks.rows[0]!;
    await request(page, 'label', { trackIds: [target.id], action: 'add', tag: 'survives restart' });
    await serve.stop();
    serve = await startEnoServe(dataDir);
    page = await openApp(browser, serve.url);
    let detail = await request<TrackDetail>(page, 'getTrack', { id: target.id });
    expect(detail.finalTags).toContain('survives restart');

    await request(page, 'label', { trackIds: [target.id], action: 'add', tag: 'survives kill' });
    await serve.kill9();
    serve = await startEnoServe(dataDir);
    page = await openApp(browser, serve.url);
    detail = await request<TrackDetail>(page, 'getTrack', { id: target.id });
    expect(detail.finalTags).toEqual(expect.arrayContaining(['survives restart', 'survives kill']));
  }, 120_000);
});
