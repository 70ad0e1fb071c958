// Where the table scrolls so the focused row is seen: pure arithmetic over row and header sizes.

export const ROW_HEIGHT = 32;

/**
 * The scroll position that shows row `index` wholly below the sticky header, with a row's margin
 * above and below where the table is tall enough; null when it is in view already.
 */
export function scrollToShow(index: number, scrollTop: number, viewPx: number, headerPx: number, rowPx = ROW_HEIGHT): number | null {
  const top = headerPx + index * rowPx;
  const bottom = top + rowPx;
  const margin = Math.max(0, Math.min(rowPx, (viewPx - headerPx - rowPx) / 2));
  if (top - margin < scrollTop + headerPx) return Math.max(0, top - margin - headerPx);
  if (bottom + margin > scrollTop + viewPx) return bottom + margin - viewPx;
  return null;
}

/** True when row `index` is wholly visible below the sticky header (margins aside). */
export function rowVisible(index: number, scrollTop: number, viewPx: number, headerPx: number, rowPx = ROW_HEIGHT): boolean {
  const top = headerPx + index * rowPx;
  return top >= scrollTop + headerPx && top + rowPx <= scrollTop + viewPx;
}
