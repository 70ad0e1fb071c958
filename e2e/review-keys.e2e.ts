// Regression tests of the review screen in Chromium at 1024x700, against browser mode with the
// shared clips and no ClearML: the keyboard flow (numbers that stay put, the focused row kept in
// view, Esc leaving a field, undo showing what it changed), Shift-click, a layout that fits and
// does not jump, and the small things a first session ran into (Upload without ClearML, the
// favicon, durations, adding a folder twice or by a relative path).
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { QueueStatus, TrackDetail } from '../src-preload/contract';
import { SHARED_AUDIO, sine, writeWav } from '../test-support/fixtures';
import { launchChromium, openAppWatchingRequests, request, screenshot } from './support/browser';
import { openReviewLibrary, type ReviewLibrary } from './support/review-library';
import { readView, settledView } from './support/review-page';

let lib: ReviewLibrary;
let browser: Browser;
let page: Page;
let failedOnLoad: string[];

beforeAll(async () => {
  lib = await openReviewLibrary('eno-e2e-keys-');
  browser = await launchChromium();
  const opened = await openAppWatchingRequests(browser, lib.serve.url, { width: 1024, height: 700 });
  page = opened.page;
  page.on('pageerror', (e) => console.error(`page error: ${e.message}`));
  await page.waitForFunction((n) => document.querySelector('[data-testid="track-count"]')?.textContent === `${n} tracks`, lib.tracks);
  await page.waitForLoadState('networkidle');
  failedOnLoad = [...opened.failed];
}, 420_000);

afterAll(async () => {
  await browser?.close();
  await lib?.close();
});

const detail = (id: number): Promise<TrackDetail> => request<TrackDetail>(page, 'getTrack', { id });
const chipState = (tag: string): Promise<string | null> => page.locator(`.tag-groups .chip[data-tag="${tag}"]`).getAttribute('data-state');
const notices = (): Promise<string> => page.locator('.notices').innerText();

/** Focuses the first track of the table from the keyboard. */
async function focusFirstTrack(): Promise<void> {
  await page.locator('.track-table').focus();
  await page.keyboard.press('k');
  await settledView(page);
}

describe('keyboard review', () => {
  it('keeps every tag on its number while the track is on screen (3 then 1 then 3 again)', async () => {
    await focusFirstTrack();
    // A track whose third tag is below its threshold: adding it used to bring another tag in.
    let view = await settledView(page);
    for (let i = 0; i < 40 && (await chipState(view.numbers['3']!)) !== 'below threshold'; i++) {
      await page.keyboard.press('j');
      await expect.poll(async () => (await settledView(page)).focusedId).not.toBe(view.focusedId);
      view = await settledView(page);
    }
    const third = view.numbers['3']!;
    const first = view.numbers['1']!;
    expect(await chipState(third)).toBe('below threshold');
    const firstState = await chipState(first);
    await page.keyboard.press('3');
    await expect.poll(() => chipState(third)).toBe('added');
    expect((await readView(page)).numbers).toMatchObject(view.numbers);
    await page.keyboard.press('1');
    await expect.poll(() => chipState(first)).not.toBe(firstState);
    expect((await readView(page)).numbers).toMatchObject(view.numbers);
    // The same key reaches the same tag: it goes back to what the model said.
    await page.keyboard.press('3');
    await expect.poll(() => chipState(third)).toBe('below threshold');
    await page.keyboard.press('1');
    await expect.poll(() => chipState(first)).toBe(firstState);
    expect((await readView(page)).numbers).toMatchObject(view.numbers);
    expect((await detail(view.focusedId!)).labels).toEqual([]);
  });

  it('keeps the focused row wholly in view while j and k walk the table', async () => {
    await focusFirstTrack();
    const hidden: string[] = [];
    const walk = async (key: string, presses: number): Promise<void> => {
      for (let i = 0; i < presses; i++) {
        const before = (await readView(page)).focusedId;
        await page.keyboard.press(key);
        await expect.poll(async () => (await readView(page)).focusedId).not.toBe(before);
        // Scrolling follows within a frame or two.
        await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
        if (!(await readView(page)).focusedVisible) hidden.push(`${key} #${i + 1}`);
      }
    };
    await walk('j', 35);
    await walk('k', 20);
    expect(hidden).toEqual([]);
  });

  it('leaves the search field on Esc, keeping the search, so the next key is a shortcut', async () => {
    await page.keyboard.press('/');
    await page.keyboard.type('jazz');
    await expect.poll(async () => page.textContent('[data-testid="track-count"]')).not.toBe(`${lib.tracks} tracks`);
    await page.keyboard.press('Escape');
    expect(await page.evaluate(() => document.activeElement?.id ?? '')).not.toBe('search');
    await page.keyboard.press('j');
    expect(await page.inputValue('#search')).toBe('jazz');
    await settledView(page);
    await page.fill('#search', '');
    await page.keyboard.press('Escape');
    await expect.poll(async () => page.textContent('[data-testid="track-count"]')).toBe(`${lib.tracks} tracks`);
  });

  it('brings the track an undo or redo changed into view and says what was undone', async () => {
    await focusFirstTrack();
    await page.keyboard.press('j');
    const a = await settledView(page);
    expect(a.focusedId).not.toBeNull();
    await page.keyboard.press('r');
    await expect.poll(async () => (await settledView(page)).focusedId).not.toBe(a.focusedId);
    await page.keyboard.press('Control+z');
    await expect.poll(async () => (await settledView(page)).focusedId).toBe(a.focusedId);
    await expect.poll(notices).toMatch(/Undone: Mark 1 track reviewed/);
    expect((await detail(a.focusedId!)).row.status).toBe('tagged');

    // A tag changed on this track, then two tracks further down: undo comes back here.
    await page.keyboard.press('1');
    await expect.poll(async () => (await detail(a.focusedId!)).labels.length).toBe(1);
    await page.keyboard.press('j');
    await page.keyboard.press('j');
    await expect.poll(async () => (await settledView(page)).focusedId).not.toBe(a.focusedId);
    await page.keyboard.press('Control+z');
    await expect.poll(async () => (await settledView(page)).focusedId).toBe(a.focusedId);
    expect((await readView(page)).focusedVisible).toBe(true);
    await expect.poll(notices).toMatch(/Undone: \w+ "[^"]+" on 1 track/);
    expect((await detail(a.focusedId!)).labels).toEqual([]);
    await page.keyboard.press('j');
    await page.keyboard.press('Control+Shift+z');
    await expect.poll(async () => (await settledView(page)).focusedId).toBe(a.focusedId);
    await expect.poll(notices).toMatch(/Redone: \w+ "[^"]+" on 1 track/);
    await page.keyboard.press('Control+z');
    await expect.poll(async () => (await detail(a.focusedId!)).labels).toEqual([]);
  });

  it('selects rows with Shift-click, not the text of the page', async () => {
    const rows = page.locator('.table-row:not(.placeholder-row)');
    await rows.nth(1).click();
    await rows.nth(5).click({ modifiers: ['Shift'] });
    await expect.poll(async () => page.locator('.table-row[aria-selected="true"]').count()).toBe(5);
    expect(await page.evaluate(() => window.getSelection()?.toString() ?? '')).toBe('');
    await rows.nth(1).click();
  });
});

/** Where the table starts and how wide the title column is (once rows are on screen). */
async function layout(): Promise<{ tableTop: number; topBar: number; title: number }> {
  await page.waitForSelector('.table-row:not(.placeholder-row)');
  return page.evaluate(() => ({
    tableTop: document.querySelector('.track-table')!.getBoundingClientRect().top,
    topBar: document.querySelector('.top-bar')!.getBoundingClientRect().height,
    title: document.querySelector('.table-row:not(.placeholder-row) > :first-child')!.getBoundingClientRect().width,
  }));
}

describe('layout at 1024x700', () => {
  it('fits the bars in one row each, keeps titles readable, and does not jump', async () => {
    const idle = await layout();
    await screenshot(page, 'keys-layout-1024');
    expect(idle.tableTop).toBeLessThanOrEqual(100);
    expect(idle.title).toBeGreaterThanOrEqual(140);
    await page.locator('.track-table').focus();
    await page.keyboard.press('q');
    await expect.poll(async () => page.locator('[aria-label="Order"] button[aria-pressed="true"]').textContent()).toMatch(/Review queue/);
    expect(await layout()).toMatchObject({ tableTop: idle.tableTop, topBar: idle.topBar });
    await page.keyboard.press('q');

    // A queue with work waiting shows its progress and buttons in the same space.
    await request(page, 'pauseQueue');
    const extra = join(lib.dir, 'extra');
    mkdirSync(extra);
    for (const hz of [300, 500]) writeWav(join(extra, `tone-${hz}.wav`), sine(4, 16000, hz), 16000);
    await request(page, 'addFolder', { path: extra });
    await expect.poll(async () => page.locator('.queue-bar').getByRole('button', { name: /resume/i }).count()).toBe(1);
    await screenshot(page, 'keys-layout-1024-queue');
    expect(await layout()).toMatchObject({ tableTop: idle.tableTop, topBar: idle.topBar });
    await request(page, 'resumeQueue');
    await expect.poll(async () => (await request<QueueStatus>(page, 'queueStatus')).state, { timeout: 60_000 }).toBe('idle');
  });
});

describe('first-session problems', () => {
  it('requests nothing that is missing when the page loads (the favicon)', () => {
    expect(failedOnLoad).toEqual([]);
  });

  it('offers Upload only with ClearML set up, saying why not', async () => {
    const upload = page.locator('.top-bar button', { hasText: 'Upload' });
    expect(await upload.isDisabled()).toBe(true);
    expect(await page.locator('[data-testid="upload-reason"]').innerText()).toMatch(/ClearML not set up/);
    expect(await upload.getAttribute('title')).toMatch(/ClearML is not set up/);
  });

  it('shows the same length in the table and in the player', async () => {
    await page.locator('.track-table').focus();
    await page.keyboard.press('k');
    const mismatches: string[] = [];
    for (let i = 0; i < 25; i++) {
      const view = await settledView(page);
      const inTable = await page.locator('.table-row.focused [data-col="length"]').innerText();
      const inPlayer = (await page.locator('[data-testid="player-time"]').innerText()).split(' / ')[1];
      if (inTable !== inPlayer) mismatches.push(`${view.focusedId}: ${inTable} vs ${inPlayer}`);
      await page.keyboard.press('j');
      await expect.poll(async () => (await readView(page)).focusedId).not.toBe(view.focusedId);
    }
    expect(mismatches).toEqual([]);
  });

  it('says so when a folder is added again, and what to type instead of a relative path', async () => {
    await addFolderFromUi(join(SHARED_AUDIO, 'music'));
    await expect.poll(notices).toMatch(/already in the library/);
    await addFolderFromUi('music');
    await expect.poll(notices).toMatch(/"music" is not a full path/);
    if (await page.locator('[role="dialog"]').count()) await page.keyboard.press('Escape');
  });
});

describe('library management', () => {
  const rows = () => page.locator('.table-row:not(.placeholder-row)');

  it('shows what selected tracks share and applies a tag to all of them', async () => {
    await rows().nth(2).click();
    await rows().nth(6).click({ modifiers: ['Shift'] });
    const summary = page.locator('[data-testid="selection-summary"]');
    await expect.poll(async () => summary.innerText()).toMatch(/5 tracks selected/);
    const ids = (await page.locator('.table-row[aria-selected="true"]').evaluateAll((els) => els.map((e) => Number((e as HTMLElement).dataset.trackId)))).sort();
    const expected = await request<{ tags: Array<{ tag: string; count: number }> }>(page, 'selectionSummary', { trackIds: ids });
    for (const t of expected.tags) expect(await summary.locator(`.shared-chip[data-tag="${t.tag}"]`).getAttribute('data-count')).toBe(String(t.count));
    const partial = expected.tags.find((t) => t.count < 5);
    expect(partial).toBeDefined();
    await summary.locator(`.shared-chip[data-tag="${partial!.tag}"] button[aria-label^="Put"]`).click();
    await expect.poll(async () => (await Promise.all(ids.map((id) => detail(id)))).every((d) => d.finalTags.includes(partial!.tag))).toBe(true);
    await expect.poll(async () => summary.locator(`.shared-row .shared-chip[data-tag="${partial!.tag}"]`).getAttribute('data-count')).toBe('5');
    await page.keyboard.press('Control+z');
    await expect.poll(notices).toMatch(/Undone: Add/);
    await rows().nth(2).click();
  });

  it('keeps the selection, the focus and the scroll across a reload', async () => {
    await focusFirstTrack();
    for (let i = 0; i < 24; i++) await page.keyboard.press('j');
    const focused = (await settledView(page)).focusedId;
    await page.locator(`.table-row[data-track-id="${focused}"]`).click();
    // A row a few above the focused one (the table shows it: the focus keeps a margin).
    const otherId = await page.$eval('.table-row.focused', (row) => {
      const at = Number(row.getAttribute('aria-rowindex'));
      return Number(document.querySelector<HTMLElement>(`.table-row[aria-rowindex="${at - 3}"]`)!.dataset.trackId);
    });
    await page.locator(`.table-row[data-track-id="${otherId}"]`).click({ modifiers: ['Control'] });
    await page.locator(`.table-row[data-track-id="${focused}"]`).click({ modifiers: ['Control'] });
    await page.locator(`.table-row[data-track-id="${focused}"]`).click({ modifiers: ['Control'] });
    const scrollTop = await page.$eval('.track-table', (el) => el.scrollTop);
    expect(scrollTop).toBeGreaterThan(0);
    await page.reload();
    await page.waitForSelector('.table-row.focused');
    const view = await settledView(page);
    expect(view.focusedId).toBe(focused);
    const selected = await page.locator('.table-row[aria-selected="true"]').evaluateAll((els) => els.map((e) => Number((e as HTMLElement).dataset.trackId)));
    expect(selected.sort()).toEqual([focused!, otherId].sort());
    expect(await page.$eval('.track-table', (el) => el.scrollTop)).toBe(scrollTop);
  });

  it('chooses, moves and resizes columns, and keeps them', async () => {
    const headers = () => page.locator('.table-head .head-cell').evaluateAll((els) => els.map((e) => (e as HTMLElement).dataset.col));
    await page.click('.table-head button[aria-label="Columns"]');
    const menu = page.locator('.menu[role="menu"]');
    await menu.locator('label', { hasText: /^\s*Art$/ }).locator('input').check();
    await menu.locator('button[aria-label="Move Status left"]').click();
    await page.keyboard.press('Escape');
    expect(await headers()).toEqual(['art', 'title', 'artist', 'album', 'length', 'status', 'tags']);
    const artist = page.locator('.table-head .head-cell[data-col="artist"]');
    const before = (await artist.boundingBox())!;
    const handle = (await artist.locator('.col-resize').boundingBox())!;
    await page.mouse.move(handle.x + handle.width / 2, handle.y + handle.height / 2);
    await page.mouse.down();
    await page.mouse.move(handle.x + handle.width / 2 + 60, handle.y + handle.height / 2, { steps: 4 });
    await page.mouse.up();
    const widened = (await artist.boundingBox())!.width;
    expect(widened).toBeGreaterThan(before.width + 40);
    // Covers: the one clip with an embedded picture shows it in its row.
    await page.fill('#search', 'vibe ace');
    await expect.poll(async () => page.textContent('[data-testid="track-count"]')).toBe('1 track');
    await expect.poll(async () => page.$eval('.table-row .row-art', (img) => (img as HTMLImageElement).naturalWidth)).toBeGreaterThan(0);
    await page.fill('#search', '');
    await page.reload();
    await page.waitForSelector('.table-head');
    expect(await headers()).toEqual(['art', 'title', 'artist', 'album', 'length', 'status', 'tags']);
    expect(Math.abs((await artist.boundingBox())!.width - widened)).toBeLessThan(2);
    await page.click('.table-head button[aria-label="Columns"]');
    await page.locator('.menu button', { hasText: 'Default columns' }).click();
    await page.keyboard.press('Escape');
    expect(await headers()).toEqual(['title', 'artist', 'album', 'length', 'tags', 'status']);
  });

  it('follows the system theme until one is chosen', async () => {
    const dark = await browser.newContext({ viewport: { width: 1024, height: 700 }, colorScheme: 'dark' });
    const other = await dark.newPage();
    await other.goto(lib.serve.url);
    await other.waitForSelector('.top-bar');
    const theme = () => other.evaluate(() => document.documentElement.dataset.theme);
    await expect.poll(theme).toBe('dark');
    await other.click('.top-bar button[aria-label^="Theme"]');
    await expect.poll(theme).toBe('light');
    await other.emulateMedia({ colorScheme: 'dark' });
    expect(await theme()).toBe('light');
    await other.click('.top-bar button[aria-label^="Theme"]');
    await other.click('.top-bar button[aria-label^="Theme"]');
    await expect.poll(theme).toBe('dark');
    await other.emulateMedia({ colorScheme: 'light' });
    await expect.poll(theme).toBe('light');
    await dark.close();
  });

  it('lists the folders with their tracks, and removes one keeping its corrections unless told otherwise', async () => {
    const music = join(SHARED_AUDIO, 'music');
    const [piano] = (await request<{ rows: Array<{ id: number }> }>(page, 'queryTracks', { search: 'thejazzpiano', offset: 0, limit: 1 })).rows;
    await request(page, 'label', { trackIds: [piano!.id], action: 'add', tag: 'kept through removal' });
    await page.click('.top-bar button:has-text("Folders")');
    const dialog = page.locator('[role="dialog"][aria-label="Library folders"]');
    const line = dialog.locator(`tr[data-folder="${music}"]`);
    await expect.poll(async () => line.innerText()).toMatch(/14/);
    await screenshot(page, 'keys-folders-1024');
    await line.locator('button', { hasText: 'Remove' }).click();
    await dialog.locator('.remove-confirm button', { hasText: 'Remove' }).click();
    await expect.poll(async () => dialog.locator(`tr[data-folder="${music}"]`).count()).toBe(0);
    await expect.poll(async () => page.textContent('[data-testid="track-count"]')).toBe(`${lib.tracks - 14 + 2} tracks`);
    expect((await detail(piano!.id)).finalTags).toContain('kept through removal');
    await dialog.locator('input[aria-label="Folder to add"]').fill(music);
    await dialog.locator('input[aria-label="Folder to add"]').press('Enter');
    await expect.poll(async () => dialog.locator(`tr[data-folder="${music}"]`).innerText(), { timeout: 60_000 }).toMatch(/14/);
    const [back] = (await request<{ rows: Array<{ id: number }> }>(page, 'queryTracks', { search: 'thejazzpiano', offset: 0, limit: 1 })).rows;
    expect((await detail(back!.id)).finalTags).toContain('kept through removal');
    // Removed again, forgetting: the correction goes with it.
    await dialog.locator(`tr[data-folder="${music}"] button`, { hasText: 'Remove' }).click();
    await dialog.locator('.remove-confirm input[type="checkbox"]').check();
    await dialog.locator('.remove-confirm button', { hasText: 'Remove' }).click();
    await expect.poll(async () => dialog.locator(`tr[data-folder="${music}"]`).count()).toBe(0);
    await expect(detail(back!.id)).rejects.toThrow(/no track/);
    await page.keyboard.press('Escape');
  });
});

/** Types a folder path where the app asks for one (browser mode has no folder picker). */
async function addFolderFromUi(path: string): Promise<void> {
  const field = page.locator('[role="dialog"] input[aria-label="Folder to add"]');
  if (!(await field.isVisible())) await page.locator('.top-bar button[aria-label="Add folder"]').click();
  await field.fill(path);
  await field.press('Enter');
}
