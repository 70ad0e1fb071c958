// What a keyboard reviewer sees, read from the page: which track is focused and shown, whether
// its row is fully in view, and which tag each number key toggles.
import type { Page } from 'playwright-core';

/** The state of the table and track view at one moment. */
export interface ReviewView {
  /** The focused row's track, or null. */
  readonly focusedId: number | null;
  /** The track the track view shows, or null. */
  readonly shownId: number | null;
  /** The focused row lies wholly inside the table's visible rows (below its header). */
  readonly focusedVisible: boolean;
  /** Number key -> tag name, as the chips show them. */
  readonly numbers: Readonly<Record<string, string>>;
}

/** Reads the view in one go (one frame). */
export function readView(page: Page): Promise<ReviewView> {
  return page.evaluate(() => {
    const row = document.querySelector<HTMLElement>('.table-row.focused');
    const pane = document.querySelector<HTMLElement>('.track-pane');
    const table = document.querySelector<HTMLElement>('.track-table');
    const head = document.querySelector<HTMLElement>('.table-head');
    let focusedVisible = false;
    if (row && table) {
      const r = row.getBoundingClientRect();
      const t = table.getBoundingClientRect();
      const top = t.top + (head?.getBoundingClientRect().height ?? 0);
      const bottom = t.top + table.clientHeight;
      focusedVisible = r.top >= top - 0.5 && r.bottom <= bottom + 0.5;
    }
    const numbers: Record<string, string> = {};
    for (const chip of document.querySelectorAll<HTMLElement>('.tag-groups .chip[data-tag]')) {
      const n = chip.querySelector('.num')?.textContent?.trim();
      if (n) numbers[n] = chip.dataset.tag!;
    }
    const id = (el: HTMLElement | null): number | null => (el?.dataset.trackId ? Number(el.dataset.trackId) : null);
    return { focusedId: id(row), shownId: id(pane), focusedVisible, numbers };
  });
}

/** Waits until the track view shows the focused track; returns the view then. */
export async function settledView(page: Page, timeoutMs = 10_000): Promise<ReviewView> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const view = await readView(page);
    if (view.focusedId !== null && view.focusedId === view.shownId && Object.keys(view.numbers).length > 0) return view;
    if (Date.now() > deadline) throw new Error(`the track view did not settle: ${JSON.stringify(view)}`);
    await page.waitForTimeout(50);
  }
}
