// `npm run bench:ui`: the window's responsiveness at library scale, in Chromium against browser
// mode. Seeds a store with 100,000 tracks, then prints search and filter latency, scroll frame
// times, the time from dropping a 4-minute MP3 to its tags on screen, and the request round trip
// while a batch is tagging. Prints figures; asserts nothing. Needs `npm run build` first.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { resolveFfmpeg } from '../src-main/audio/ffmpeg';
import { openStore } from '../src-main/library/store';
import { randomTracks, seedFolder, seedTracks, writeSyntheticFiles } from '../test-support/synthetic-library';
import { SHARED_AUDIO, tempDir } from '../test-support/fixtures';
import { connect } from '../e2e/support/api-client';
import { launchChromium, openApp } from '../e2e/support/browser';
import { startEnoServe } from '../e2e/support/eno-serve';

const TRACKS = Number(process.env.ENO_BENCH_TRACKS ?? 100_000);
const line = (text = ''): void => void process.stdout.write(`${text}\n`);

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

const tmp = tempDir('eno-ui-bench-');
const dataDir = join(tmp.dir, 'data');
mkdirSync(dataDir, { recursive: true });
const db = openStore(dataDir);
// A library folder of real (placeholder) files: the app rescans its folders when it starts and
// would drop missing files.
const musicDir = join(tmp.dir, 'music');
const folderId = seedFolder(db, musicDir);
const all = randomTracks(TRACKS, 7).map((t) => ({ ...t, path: join(tmp.dir, t.path) }));
writeSyntheticFiles(all);
for (let i = 0; i < all.length; i += 10_000) seedTracks(db, all.slice(i, i + 10_000), undefined, folderId);
db.pragma('wal_checkpoint(TRUNCATE)');
db.close();

const serve = await startEnoServe(dataDir, ['--ep', 'cpu']);
const browser = await launchChromium();
try {
  const page = await openApp(browser, serve.url);
  page.on('pageerror', (e) => console.error(`page error: ${e.message}`));
  page.on('console', (m) => m.type() === 'error' && console.error(`page: ${m.text()}`));
  // The functions below run in the page as the TypeScript runner compiled them, naming helper included.
  await page.evaluate('globalThis.__name = (fn) => fn');
  await page.waitForFunction((n) => document.querySelector('[data-testid="track-count"]')?.textContent === `${n} tracks`, TRACKS, { timeout: 60_000 });
  line(`eno UI benchmark — ${TRACKS} tracks in the library, Chromium (headless) against browser mode`);
  line();

  // At start the app rescans its folders (size and time of every file); measure once that is done.
  const api = await connect(serve.url);
  const started = performance.now();
  while ((await api.call<Array<{ scanning: boolean }>>('listFolders')).some((f) => f.scanning)) await new Promise((r) => setTimeout(r, 100));
  line(`start-up rescan of the library folder (nothing changed): ${((performance.now() - started) / 1000).toFixed(1)} s after the window showed the tracks`);

  // Latency as the user sees it, measured in the page: from the input event to the next frame
  // after the table shows the new result (count changed and rows present).
  const inPage = (kind: 'search' | 'click' | 'select', selector: string, value: string): Promise<number> =>
    page.evaluate(
      ([k, sel, v]) =>
        new Promise<number>((resolve) => {
          const count = document.querySelector('[data-testid="track-count"]')!;
          const before = count.textContent;
          const el = document.querySelector(sel) as HTMLInputElement & HTMLSelectElement;
          const t0 = performance.now();
          const observer = new MutationObserver(() => {
            if (count.textContent === before || !document.querySelector('.table-row:not(.placeholder-row)')) return;
            observer.disconnect();
            requestAnimationFrame(() => resolve(performance.now() - t0));
          });
          observer.observe(count, { childList: true, subtree: true, characterData: true });
          if (k === 'click') el.click();
          else {
            const proto = k === 'search' ? HTMLInputElement.prototype : HTMLSelectElement.prototype;
            Object.getOwnPropertyDescriptor(proto, 'value')!.set!.call(el, v);
            el.dispatchEvent(new Event(k === 'search' ? 'input' : 'change', { bubbles: true }));
          }
        }),
      [kind, selector, value] as const,
    );

  const searches: number[] = [];
  for (const word of ['river', 'velvet', 'gold', 'night', 'ghost', 'silver', 'wild']) {
    searches.push(await inPage('search', '#search', word));
    await inPage('search', '#search', '');
  }
  line(`search (typing to rows on screen): median ${percentile(searches, 50).toFixed(0)} ms, worst ${Math.max(...searches).toFixed(0)} ms`);

  const filters: number[] = [];
  for (const status of ['reviewed', 'error', 'untagged']) {
    const selector = `.status-filter button:nth-child(${['untagged', 'queued', 'tagging', 'tagged', 'error', 'reviewed'].indexOf(status) + 1})`;
    filters.push(await inPage('click', selector, ''));
    await inPage('click', selector, '');
  }
  for (const tag of ['jazz', 'rock', 'sad']) {
    filters.push(await inPage('select', 'select[aria-label="Tag filter"]', tag));
  }
  await inPage('select', 'select[aria-label="Tag filter"]', '');
  line(`filter (status or tag, click to rows on screen): median ${percentile(filters, 50).toFixed(0)} ms, worst ${Math.max(...filters).toFixed(0)} ms`);

  // Scrolling: 3 s of continuous scrolling through the table, frame times from requestAnimationFrame.
  await page.waitForFunction((n) => document.querySelector('[data-testid="track-count"]')?.textContent === `${n} tracks`, TRACKS);
  const frames = await page.evaluate(
    () =>
      new Promise<number[]>((resolve) => {
        const el = document.querySelector('.track-table') as HTMLElement;
        const times: number[] = [];
        let last = performance.now();
        const end = last + 3000;
        const step = (now: number): void => {
          times.push(now - last);
          last = now;
          el.scrollTop += 400;
          if (now < end) requestAnimationFrame(step);
          else resolve(times.slice(1));
        };
        requestAnimationFrame(step);
      }),
  );
  const fps = 1000 / (frames.reduce((a, b) => a + b, 0) / frames.length);
  line(`scroll (400 px per frame for 3 s): ${fps.toFixed(0)} frames/s, frame time p50 ${percentile(frames, 50).toFixed(1)} ms, p95 ${percentile(frames, 95).toFixed(1)} ms, worst ${Math.max(...frames).toFixed(1)} ms`);

  // Drop a 4-minute MP3 and wait for its genres in its row.
  const mp3 = join(tmp.dir, 'fourminutes.mp3');
  spawnSync(resolveFfmpeg().path, ['-v', 'error', '-stream_loop', '7', '-i', join(SHARED_AUDIO, 'music', 'bensound-actionable.mp3'), '-c', 'copy', '-t', '240', mp3]);
  await page.fill('#search', 'fourminutes');
  await page.waitForFunction(() => document.querySelector('[data-testid="track-count"]')?.textContent === '0 tracks');
  const base64 = readFileSync(mp3).toString('base64');
  const drop = await page.evaluate(async (b64) => {
    const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
    const dt = new DataTransfer();
    dt.items.add(new File([bytes], 'fourminutes.mp3', { type: 'audio/mpeg' }));
    const t0 = performance.now();
    for (const type of ['dragenter', 'dragover', 'drop']) window.dispatchEvent(new DragEvent(type, { dataTransfer: dt, bubbles: true, cancelable: true }));
    return new Promise<{ firstMs: number; finalMs: number }>((resolve) => {
      let firstMs = 0;
      const check = (): void => {
        const row = document.querySelector('.table-row:not(.placeholder-row)');
        const hasTags = (row?.querySelector('.mini-tags')?.textContent ?? '') !== '';
        if (hasTags && firstMs === 0) firstMs = performance.now() - t0;
        if (hasTags && row?.querySelector('.status.tagged')) resolve({ firstMs, finalMs: performance.now() - t0 });
        else requestAnimationFrame(check);
      };
      check();
    });
  }, base64);
  line(`drop a 4-minute MP3 (upload, decode, tag, show): first tags on screen ${(drop.firstMs / 1000).toFixed(2)} s (from its opening patches), final tags ${(drop.finalMs / 1000).toFixed(2)} s`);

  // Request round trips while a batch is tagging (the shared clips, added as a folder).
  await api.call('addFolder', { path: join(SHARED_AUDIO, 'music') });
  const rtts: number[] = [];
  for (;;) {
    const t0 = performance.now();
    const status = await api.call<{ state: string }>('queueStatus');
    rtts.push(performance.now() - t0);
    if (status.state === 'idle' && rtts.length > 20) break;
    await new Promise((r) => setTimeout(r, 20));
  }
  line(`request round trip while tagging (${rtts.length} requests): p50 ${percentile(rtts, 50).toFixed(1)} ms, p99 ${percentile(rtts, 99).toFixed(1)} ms, worst ${Math.max(...rtts).toFixed(1)} ms`);
  line();
  line('targets: search and filter < 100 ms, scrolling at 60 frames/s, drop-to-tags < 1.5 s, round trip p99 < 50 ms');
} finally {
  await browser.close();
  await serve.stop();
  tmp.cleanup();
}
