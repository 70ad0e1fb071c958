// Learned tags in the window: a person gives a new tag of their own to three classical clips and
// reviews three electronic ones; a moment later eno suggests the tag on another classical clip,
// marked as learned with its precision; accepting it feeds the next fit and the Learned tags panel
// shows the new counts; "accept all above" previews and applies in one undoable step; the table
// filters by the learned tag; "More like this" lists the nearest clips and tags the picked ones.
import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LearnedTagRow, LearnedTagsView, TrackDetail, TrackPage, TrackRow } from '../src-preload/contract';
import { tempDir } from '../test-support/fixtures';
import { launchChromium, openApp, request, screenshot, waitForTagged } from './support/browser';
import { startEnoServe, type EnoServe } from './support/eno-serve';
import { SHARED_LABELLED } from './support/review-library';

const TAG = 'concert hall';
const CLASSICAL = [1, 2, 3, 4, 5, 6].map((n) => `emotify-classical-${n}`);
const ELECTRONIC = [1, 2, 3, 4, 5].map((n) => `emotify-electronic-${n}`);

const tmp = tempDir('eno-e2e-learned-');
const music = join(tmp.dir, 'music');
mkdirSync(music);
for (const name of [...CLASSICAL, ...ELECTRONIC]) copyFileSync(join(SHARED_LABELLED, `${name}.mp3`), join(music, `${name}.mp3`));

let serve: EnoServe;
let browser: Browser;
let page: Page;
const ids = new Map<string, number>();

const row = (name: string) => page.locator(`.table-row[data-track-id="${ids.get(name)}"]`);
const labelsOf = async (name: string): Promise<string[]> =>
  (await request<TrackDetail>(page, 'getTrack', { id: ids.get(name) })).labels.map((l) => `${l.tag}:${l.state}`);
const learnedRow = async (): Promise<LearnedTagRow | undefined> => (await request<LearnedTagsView>(page, 'learnedTags')).tags.find((t) => t.tag === TAG);

beforeAll(async () => {
  serve = await startEnoServe(join(tmp.dir, 'data'));
  browser = await launchChromium();
  page = await openApp(browser, serve.url, { width: 1440, height: 900 });
  await request(page, 'addFolder', { path: music });
  const total = CLASSICAL.length + ELECTRONIC.length;
  await waitForTagged(page, total, 240_000);
  const rows = await request<TrackPage>(page, 'queryTracks', { offset: 0, limit: 100 });
  for (const r of rows.rows as TrackRow[]) ids.set(r.path!.split('/').pop()!.replace(/\.mp3$/, ''), r.id);
  expect(ids.size).toBe(total);
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await serve?.stop();
  tmp.cleanup();
});

describe('learned tags in the window', () => {
  it('learns a new tag from three tracks, suggests it on a similar one, and takes the accept into the next fit', async () => {
    // Three classical clips get the new tag: click, Ctrl-click, Ctrl-click, then t, type, Enter.
    await row(CLASSICAL[0]!).click();
    await row(CLASSICAL[1]!).click({ modifiers: ['Control'] });
    await row(CLASSICAL[2]!).click({ modifiers: ['Control'] });
    await page.keyboard.press('t');
    await page.keyboard.type(TAG);
    await page.keyboard.press('Enter');
    for (const name of CLASSICAL.slice(0, 3)) await expect.poll(() => labelsOf(name)).toContain(`${TAG}:added`);
    // Three electronic clips are reviewed without it.
    await row(ELECTRONIC[0]!).click();
    await row(ELECTRONIC[1]!).click({ modifiers: ['Control'] });
    await row(ELECTRONIC[2]!).click({ modifiers: ['Control'] });
    await page.locator('.track-table').focus();
    await page.keyboard.press('r');
    await expect.poll(async () => (await learnedRow())?.status, { timeout: 30_000 }).toBe('learned');
    const first = (await learnedRow())!;
    expect(first.positives).toBe(3);
    expect(first.negatives).toBeGreaterThanOrEqual(3);
    // The top bar counts the learned tag and says what the refit added and removed.
    const { status } = await request<LearnedTagsView>(page, 'learnedTags');
    await expect.poll(() => page.locator('[data-testid="learned-button"] .count').textContent()).toBe('1');
    expect(status.lastRefit!.added).toBeGreaterThan(0);
    await expect.poll(() => page.locator('[data-testid="refit-delta"]').textContent()).toBe(`+${status.lastRefit!.added}/−${status.lastRefit!.removed}`);

    // Another classical clip shows the suggestion, marked as learned, with its precision.
    await row(CLASSICAL[3]!).click();
    const chip = page.locator(`.chip.learned[data-tag="${TAG}"]`);
    await expect.poll(() => chip.count(), { timeout: 15_000 }).toBe(1);
    expect(await chip.locator('.score').textContent()).toMatch(/≥ .* · \d+%$/);
    expect(await chip.getAttribute('data-state')).toBe('learned suggestion');
    // An electronic clip the person did not review gets no such suggestion.
    await row(ELECTRONIC[4]!).click();
    await expect.poll(async () => (await request<TrackDetail>(page, 'getTrack', { id: ids.get(ELECTRONIC[4]!) })).learned.map((l) => l.tag)).not.toContain(TAG);
    await row(CLASSICAL[3]!).click();
    await expect.poll(() => chip.count()).toBe(1);
    for (const [w, h] of [[1024, 700], [1920, 1080]] as const) {
      await page.setViewportSize({ width: w, height: h });
      await chip.scrollIntoViewIfNeeded();
      await screenshot(page, `learned-chip-${w}x${h}`);
    }
    await page.setViewportSize({ width: 1440, height: 900 });
    await chip.scrollIntoViewIfNeeded();
    await screenshot(page, 'learned-chip-1440x900');

    // Accepting the suggestion labels the track and feeds the next fit.
    await chip.hover();
    await chip.locator('button[title="Confirm this tag"]').click();
    await expect.poll(() => labelsOf(CLASSICAL[3]!)).toContain(`${TAG}:added`);
    await expect.poll(async () => (await learnedRow())?.positives, { timeout: 30_000 }).toBe(4);
    await expect.poll(() => page.locator('[data-testid="learned-button"] .count').textContent()).toBe('1');
  }, 180_000);

  it('lists the tag in the panel, filters the table by it, and accepts it above a score in one undoable step', async () => {
    await page.locator('.track-table').focus();
    await page.keyboard.press('Shift+L');
    const dialog = page.locator('[role="dialog"][aria-label="Learned tags"]');
    const tagRow = dialog.locator(`tr[data-tag="${TAG}"]`);
    await expect.poll(() => tagRow.getAttribute('data-status')).toBe('learned');
    expect(await tagRow.locator('td').nth(2).textContent()).toMatch(/^4 \/ \d+$/);
    const suggests = (await learnedRow())!.suggested;
    expect(suggests).toBeGreaterThan(0);
    expect(await dialog.locator(`[data-testid="suggests-${TAG}"]`).textContent()).toBe(String(suggests));

    await tagRow.locator('button', { hasText: 'Examples' }).click();
    await expect.poll(() => dialog.locator(`[data-testid="examples-${TAG}"] li`).count()).toBeGreaterThanOrEqual(7);
    for (const [w, h] of [[1024, 700], [1920, 1080]] as const) {
      await page.setViewportSize({ width: w, height: h });
      await screenshot(page, `learned-panel-${w}x${h}`);
    }
    await page.setViewportSize({ width: 1440, height: 900 });
    await screenshot(page, 'learned-panel-1440x900');

    // "Accept all…" previews the count at the default minimum, then at the tag's threshold.
    await tagRow.locator('button', { hasText: 'Accept all' }).click();
    const form = dialog.locator(`[data-testid="accept-all-${TAG}"]`);
    const threshold = (await learnedRow())!.threshold!;
    await form.locator('input[type="number"]').fill(String(threshold));
    await expect.poll(() => form.locator('[data-testid="accept-preview"]').textContent()).toMatch(new RegExp(`^${suggests} track`));
    const suggested = (await request<TrackPage>(page, 'queryTracks', { offset: 0, limit: 100, learnedTag: TAG })).rows.map((r) => r.id);
    expect(suggested.length).toBe(suggests);
    const nameOf = (id: number): string => [...ids].find(([, v]) => v === id)![0];
    await form.locator('button.primary').click();
    await expect.poll(async () => (await learnedRow())?.suggested).toBe(0);
    for (const id of suggested) expect(await labelsOf(nameOf(id))).toContain(`${TAG}:added`);

    // One Ctrl+Z takes the whole batch back.
    await page.keyboard.press('Escape');
    await page.locator('.track-table').focus();
    await page.keyboard.press('Control+z');
    await expect.poll(async () => (await learnedRow())?.suggested, { timeout: 30_000 }).toBe(suggests);
    for (const id of suggested) expect(await labelsOf(nameOf(id))).not.toContain(`${TAG}:added`);

    // The table's tag filter lists the learned tag; choosing it shows the tracks it suggests.
    await page.selectOption('select[aria-label="Tag filter"]', `learned:${TAG}`);
    await expect.poll(() => page.locator('[data-testid="track-count"]').textContent()).toBe(`${suggests} track${suggests === 1 ? '' : 's'}`);
    await page.selectOption('select[aria-label="Tag filter"]', '');
  }, 120_000);

  it('lists the tracks that sound alike and tags the picked ones in one undoable step', async () => {
    await row(CLASSICAL[0]!).click();
    await page.locator('.track-table').focus();
    await page.keyboard.press('m');
    const items = page.locator('.similar-list li');
    await expect.poll(() => items.count(), { timeout: 15_000 }).toBe(CLASSICAL.length + ELECTRONIC.length - 1);
    // The nearest two are classical clips too.
    const nearest = await items.evaluateAll((lis) => lis.slice(0, 2).map((li) => Number((li as HTMLElement).dataset.trackId)));
    const classicalIds = new Set(CLASSICAL.map((n) => ids.get(n)));
    expect(nearest.every((id) => classicalIds.has(id))).toBe(true);
    const scores = await items.locator('.similar-score').allTextContents();
    expect(scores.map(Number)).toEqual([...scores.map(Number)].sort((a, b) => b - a));
    for (const [w, h] of [[1024, 700], [1920, 1080]] as const) {
      await page.setViewportSize({ width: w, height: h });
      await page.locator('.similar-section').scrollIntoViewIfNeeded();
      await screenshot(page, `more-like-this-${w}x${h}`);
    }
    await page.setViewportSize({ width: 1440, height: 900 });

    await items.nth(0).locator('input[type="checkbox"]').check();
    await items.nth(1).locator('input[type="checkbox"]').check();
    await page.fill('input[aria-label="Tag for the picked tracks"]', 'strings');
    await page.locator('.similar-tag-form button.primary').click();
    const picked = nearest.map((id) => [...ids].find(([, v]) => v === id)![0]);
    for (const name of picked) await expect.poll(() => labelsOf(name)).toContain('strings:added');
    await page.locator('.track-table').focus();
    await page.keyboard.press('Control+z');
    for (const name of picked) await expect.poll(() => labelsOf(name)).not.toContain('strings:added');
  }, 120_000);
});
