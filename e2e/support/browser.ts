// Debian's Chromium driven by playwright-core (no downloaded browsers), headless.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import type { QueueStatus } from '../../src-preload/contract';
import { REPO_ROOT } from '../../test-support/fixtures';

export const CHROMIUM = process.env.ENO_CHROMIUM ?? '/usr/bin/chromium';

/** Where screenshots are kept as test artifacts. */
export const ARTIFACTS = join(REPO_ROOT, 'test-results', 'e2e');

/** Launches headless Chromium. */
export async function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--autoplay-policy=no-user-gesture-required',
    ],
  });
}

/** A fresh page at the app's URL, logged in with the run's token. */
export async function openApp(browser: Browser, url: string, viewport = { width: 1440, height: 900 }): Promise<Page> {
  const context = await browser.newContext({ viewport });
  const page = await context.newPage();
  await page.goto(url);
  await page.waitForSelector('.top-bar');
  return page;
}

/** Like openApp, also listing every request answered with an error status (400 or more) from the first one on. */
export async function openAppWatchingRequests(
  browser: Browser,
  url: string,
  viewport: { width: number; height: number },
): Promise<{ page: Page; failed: string[] }> {
  const context = await browser.newContext({ viewport });
  const page = await context.newPage();
  const failed: string[] = [];
  page.on('response', (r) => {
    if (r.status() >= 400) failed.push(`${r.status()} ${new URL(r.url()).pathname}`);
  });
  await page.goto(url);
  await page.waitForSelector('.top-bar');
  return { page, failed };
}

/** Saves a screenshot under test-results/e2e. */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(ARTIFACTS, { recursive: true });
  const path = join(ARTIFACTS, `${name}.png`);
  await page.screenshot({ path, fullPage: false });
  return path;
}

/** Calls a contract request from inside the page (same origin, with its cookie). */
export async function request<T>(page: Page, name: string, arg?: unknown): Promise<T> {
  const result = await page.evaluate(
    async ([n, a]) => {
      const res = await fetch(`/api/request/${n}`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ arg: a }) });
      return res.json();
    },
    [name, arg] as const,
  );
  const r = result as { ok: boolean; value?: T; error?: { message: string } };
  if (!r.ok) throw new Error(`${name}: ${r.error?.message}`);
  return r.value as T;
}

/** Waits until the tagging queue is idle with exactly `done` tracks done; throws with its status after `timeoutMs`. */
export async function waitForTagged(page: Page, done: number, timeoutMs = 120_000): Promise<void> {
  for (const deadline = Date.now() + timeoutMs; ; ) {
    const s = await request<QueueStatus>(page, 'queueStatus');
    if (s.state === 'idle' && s.done === done) return;
    if (Date.now() > deadline) throw new Error(`tagging did not finish: ${JSON.stringify(s)}`);
    await page.waitForTimeout(250);
  }
}
