import { describe, expect, it } from 'vitest';
import { rowVisible, scrollToShow } from './table-scroll';

describe('scrollToShow', () => {
  // Regression: j and k left the focused row at the bottom edge, hidden, in 9 of 30 presses.
  it('brings a row wholly below the header, with a row of margin, and leaves rows in view alone', () => {
    const view = 400;
    const head = 30;
    // Row 5 (top 190) is in view at the top of the table.
    expect(scrollToShow(5, 0, view, head)).toBeNull();
    // Row 11 (190..., bottom 414) would end past the view: scrolled so a row of margin follows it.
    expect(scrollToShow(11, 0, view, head)).toBe(30 + 12 * 32 + 32 - view);
    // Going back up: row 3 must sit below the sticky header with a row above it.
    expect(scrollToShow(3, 200, view, head)).toBe(3 * 32 - 32);
    expect(scrollToShow(0, 100, view, head)).toBe(0);
    // A table too short for full margins shows the whole row with what margin fits (4 px here).
    expect(scrollToShow(10, 0, 70, head)).toBe(30 + 11 * 32 + 4 - 70);
  });

  it('tells a wholly visible row from one under the header or past the bottom', () => {
    expect(rowVisible(0, 0, 400, 30)).toBe(true);
    expect(rowVisible(10, 0, 400, 30)).toBe(true); // 350..382
    expect(rowVisible(11, 0, 400, 30)).toBe(false); // 382..414
    expect(rowVisible(2, 70, 400, 30)).toBe(false); // top 94 is above 70 + 30
    expect(rowVisible(2, 64, 400, 30)).toBe(true);
  });
});
