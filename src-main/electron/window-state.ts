// Remembers the window's size, position and maximised state between runs.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { screen, type BrowserWindow, type Rectangle } from 'electron';

interface SavedState {
  readonly bounds: Rectangle;
  readonly maximized: boolean;
}

const DEFAULT: SavedState = { bounds: { x: 0, y: 0, width: 1360, height: 860 }, maximized: false };

function visible(bounds: Rectangle): boolean {
  return screen.getAllDisplays().some(({ workArea: a }) =>
    bounds.x < a.x + a.width && bounds.x + bounds.width > a.x && bounds.y < a.y + a.height && bounds.y + bounds.height > a.y,
  );
}

/** The saved state, or a default when there is none or it lies off every screen. */
export function loadWindowState(userData: string): SavedState & { centre: boolean } {
  try {
    const saved = JSON.parse(readFileSync(join(userData, 'window-state.json'), 'utf8')) as SavedState;
    if (saved.bounds && visible(saved.bounds)) return { ...saved, centre: false };
  } catch {
    // First run or unreadable file: use the default.
  }
  return { ...DEFAULT, centre: true };
}

/** Saves the state whenever the window settles, and when it closes. */
export function trackWindowState(win: BrowserWindow, userData: string): void {
  let timer: NodeJS.Timeout | undefined;
  const save = (): void => {
    if (win.isDestroyed()) return;
    const state: SavedState = { bounds: win.getNormalBounds(), maximized: win.isMaximized() };
    try {
      writeFileSync(join(userData, 'window-state.json'), JSON.stringify(state));
    } catch {
      // Not worth interrupting the user for.
    }
  };
  const later = (): void => {
    clearTimeout(timer);
    timer = setTimeout(save, 500);
  };
  win.on('resize', later);
  win.on('move', later);
  win.on('close', save);
}
