// A reviewer's session with the keyboard only, in Chromium at 1024x700 and at 1920x1080, against
// browser mode with the shared clips (the 14 music clips and the labelled clips): 30 tracks each,
// in library order at the small size and in the review queue at the large one. After every key:
// the focused row is wholly in view, the numbered tags did not move, and the right track changed
// (and no other), and "reviewed, next" lands on the track below the reviewed one. Screenshots go to
// test-results/e2e.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TrackDetail, TrackQuery } from '../src-preload/contract';
import { launchChromium, openApp, request, screenshot } from './support/browser';
import { openReviewLibrary, type ReviewLibrary } from './support/review-library';
import { readView, settledView, type ReviewView } from './support/review-page';

const TRACKS = 30;

let lib: ReviewLibrary;
let browser: Browser;

beforeAll(async () => {
  lib = await openReviewLibrary('eno-e2e-walk-');
  browser = await launchChromium();
}, 420_000);

afterAll(async () => {
  await browser?.close();
  await lib?.close();
});

/** What a track's corrections are, to tell whether it changed. */
async function stateOf(page: Page, id: number): Promise<string> {
  const d = await request<TrackDetail>(page, 'getTrack', { id });
  return JSON.stringify({ labels: d.labels.map((l) => [l.tag, l.state]), status: d.row.status });
}

/** A reviewer at one window size, keeping the facts each check needs. */
class Reviewer {
  readonly problems: string[] = [];
  /** Tracks already reviewed in this walk and how they were left. */
  private readonly done = new Map<number, string>();

  constructor(
    readonly page: Page,
    readonly name: string,
  ) {}

  /** The checks after a key: row in view, numbers where they were, only `changed` changed. */
  async check(key: string, before: ReviewView, expectFocus: number, changed: number | null): Promise<ReviewView> {
    let view = await readView(this.page);
    const deadline = Date.now() + 10_000;
    while ((view.focusedId !== expectFocus || view.shownId !== expectFocus) && Date.now() < deadline) {
      await this.page.waitForTimeout(50);
      view = await readView(this.page);
    }
    const where = `${this.name}, after ${key} on track ${before.focusedId}`;
    if (view.focusedId !== expectFocus) this.problems.push(`${where}: focus on ${view.focusedId}, expected ${expectFocus}`);
    if (!view.focusedVisible) this.problems.push(`${where}: the focused row is not wholly in view`);
    if (view.focusedId === before.focusedId) {
      for (const [n, tag] of Object.entries(before.numbers)) {
        if (view.numbers[n] !== tag) this.problems.push(`${where}: ${n} was ${tag}, now ${view.numbers[n] ?? 'nothing'}`);
      }
    }
    for (const [id, state] of this.done) {
      if (id !== changed && (await stateOf(this.page, id)) !== state) this.problems.push(`${where}: track ${id} changed though not shown`);
    }
    return view;
  }

  /** Presses a key and waits until the shown track's corrections changed. */
  async pressAndWaitForChange(key: string, id: number): Promise<void> {
    const before = await stateOf(this.page, id);
    await this.page.keyboard.press(key);
    await expect.poll(() => stateOf(this.page, id), { message: `${this.name}: ${key} changed nothing on track ${id}` }).not.toBe(before);
  }

  /** The track in the row below the focused one: where "reviewed, next" goes. */
  private nextRow(): Promise<number | null> {
    return this.page.evaluate(() => {
      const focused = document.querySelector<HTMLElement>('.table-row.focused');
      const below = document.querySelector<HTMLElement>(`.table-row[aria-rowindex="${Number(focused?.getAttribute('aria-rowindex')) + 1}"]`);
      return below?.dataset.trackId ? Number(below.dataset.trackId) : null;
    });
  }

  /** Reviews the focused track: toggles a numbered tag (sometimes two, sometimes adds one), then r; returns its id. */
  async reviewOne(i: number): Promise<number> {
    let view = await settledView(this.page);
    const id = view.focusedId!;
    if (this.done.has(id)) this.problems.push(`${this.name}: track ${id} came round again`);
    // The queue may re-sort while tracks are judged (learned tags refit); the next track is the
    // one below this when it was reached.
    const next = await this.nextRow();
    const numbers = Object.keys(view.numbers);
    const first = numbers[i % numbers.length]!;
    await this.pressAndWaitForChange(first, id);
    view = await this.check(first, view, id, id);
    if (i % 3 === 1 && numbers.length > 1) {
      const second = numbers[(i + 1) % numbers.length]!;
      await this.pressAndWaitForChange(second, id);
      view = await this.check(second, view, id, id);
    }
    if (i % 5 === 2) {
      await this.page.keyboard.press('t');
      await this.page.keyboard.type('walked through');
      await this.page.keyboard.press('Enter');
      await expect.poll(async () => (await request<TrackDetail>(this.page, 'getTrack', { id })).finalTags).toContain('walked through');
      view = await this.check('t', view, id, id);
    }
    await this.page.keyboard.press('r');
    await expect.poll(async () => (await request<TrackDetail>(this.page, 'getTrack', { id })).row.status).toBe('reviewed');
    this.done.set(id, await stateOf(this.page, id));
    await this.check('r', view, next ?? id, id);
    return id;
  }
}

/** Reviews TRACKS tracks from the top of the table (library order or review queue), each once. */
async function walk(page: Page, name: string, query: TrackQuery): Promise<string[]> {
  const order = await request<number[]>(page, 'trackIds', query);
  expect(order.length).toBeGreaterThanOrEqual(TRACKS + 1);
  const reviewer = new Reviewer(page, name);
  await page.keyboard.press('j');
  expect((await settledView(page)).focusedId).toBe(order[0]);
  const reviewed = new Set<number>();
  for (let i = 0; i < TRACKS; i++) {
    reviewed.add(await reviewer.reviewOne(i));
    if (i % 10 === 9) await screenshot(page, `walkthrough-${name}-${i + 1}`);
  }
  expect(reviewed.size).toBe(TRACKS);
  return reviewer.problems;
}

describe('a keyboard-only review session', () => {
  it('reviews 30 tracks in library order at 1024x700', async () => {
    const page = await openApp(browser, lib.serve.url, { width: 1024, height: 700 });
    await page.waitForFunction((n) => document.querySelector('[data-testid="track-count"]')?.textContent === `${n} tracks`, lib.tracks);
    const problems = await walk(page, '1024x700', { sort: 'added' });
    expect(problems).toEqual([]);
    await page.context().close();
  }, 300_000);

  it('reviews 30 tracks of the review queue at 1920x1080', async () => {
    // Everything back to unreviewed, so the queue holds every track again.
    const all = await lib.api.call<number[]>('trackIds', {});
    await lib.api.call('setReviewed', { trackIds: all, reviewed: false });
    const page = await openApp(browser, lib.serve.url, { width: 1920, height: 1080 });
    await page.waitForFunction((n) => document.querySelector('[data-testid="track-count"]')?.textContent === `${n} tracks`, lib.tracks);
    await page.keyboard.press('q');
    await expect.poll(async () => page.locator('[aria-label="Order"] button[aria-pressed="true"]').textContent()).toBe('Review queue');
    const problems = await walk(page, '1920x1080', { sort: 'uncertainty', toReview: true });
    expect(problems).toEqual([]);
    await page.context().close();
  }, 300_000);
});
