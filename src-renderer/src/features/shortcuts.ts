// The keyboard-only review flow. Keys act on the focused track, or on every selected track.
import { useEffect, type RefObject } from 'react';
import { call } from '../api/api';
import { effectiveQuery, setMode, useLibrary } from '../state/library-store';
import { reviewAndAdvance, step } from '../state/navigation';
import { playPause, seekBy } from '../state/player';
import { togglePanel } from '../state/panel-store';
import { markReviewed, toggleTag } from '../state/review-store';
import { actionTargets, selectIds, useSelection } from '../state/selection-store';
import { tagsFor } from '../state/tag-layout-store';
import { stepHistory } from './history-actions';
import type { AddTagHandle } from './track/add-tag';
import { toggleSimilar } from './learning/similar-section';
import { toggleAction } from './track/tag-logic';

function typingIn(target: EventTarget | null): boolean {
  const el = target as HTMLElement | null;
  if (!el) return false;
  return el.tagName === 'INPUT' || el.tagName === 'TEXTAREA' || el.tagName === 'SELECT' || el.isContentEditable;
}

let advancing = false;

/** Marks the focused (or selected) tracks reviewed, then moves on. */
export async function reviewedAndNext(): Promise<void> {
  // A second press before the first has moved on would mark the same track and skip the next.
  if (advancing) return;
  advancing = true;
  try {
    const targets = actionTargets();
    await reviewAndAdvance(() => markReviewed(targets, true));
  } finally {
    advancing = false;
  }
}

/** Selects every track the table shows (its current query). */
async function selectAll(): Promise<void> {
  const { generation } = useLibrary.getState();
  const ids = await call('trackIds', effectiveQuery());
  if (useLibrary.getState().generation === generation) selectIds(ids);
}

/**
 * Number keys toggle the numbered tags of the focused track (on every selected track): the tag
 * that carries that number on screen, which keeps it while the track is shown.
 */
function toggleNumbered(n: number): void {
  const { focusedId } = useSelection.getState();
  if (focusedId === null) return;
  void toggleTag(focusedId, actionTargets(), (detail) => {
    const { tags, layout } = tagsFor(detail);
    const tag = tags.find((t) => layout.numbers.get(t.tag) === n);
    return tag ? { action: toggleAction(tag), tag: tag.tag } : null;
  });
}

/** Esc in a field: leave it (the search keeps its text) and give the keys back to the table. */
function leaveField(field: HTMLElement): void {
  field.blur();
  document.querySelector<HTMLElement>('.track-table')?.focus({ preventScroll: true });
}

/** Installs the window-wide shortcuts while the app is mounted. */
export function useShortcuts(addTag: RefObject<AddTagHandle | null>, toggleHelp: () => void, closeOverlays: () => void): void {
  useEffect(() => {
    const onKey = (e: KeyboardEvent): void => {
      if (e.key === 'Escape') {
        closeOverlays();
        if (typingIn(e.target)) {
          // A search field would clear itself on Esc and keep the keyboard.
          e.preventDefault();
          leaveField(e.target as HTMLElement);
        }
        return;
      }
      if (typingIn(e.target)) return;
      const mod = e.ctrlKey || e.metaKey;
      const key = e.key;
      let handled = true;
      if (mod && key.toLowerCase() === 'z') void stepHistory(e.shiftKey ? 'redo' : 'undo');
      else if (mod && key.toLowerCase() === 'y') void stepHistory('redo');
      else if (mod && key.toLowerCase() === 'a') void selectAll();
      else if (mod) handled = false;
      else if (key === 'j' || key === 'ArrowDown') void step(1);
      else if (key === 'k' || key === 'ArrowUp') void step(-1);
      else if (key === ' ') playPause();
      else if (key === 'ArrowLeft') seekBy(-5);
      else if (key === 'ArrowRight') seekBy(5);
      else if (/^[1-9]$/.test(key)) toggleNumbered(Number(key));
      else if (key === 't') addTag.current?.focus();
      else if (key === 'r') void reviewedAndNext();
      else if (key === 'R') void markReviewed(actionTargets(), false);
      else if (key === '?') toggleHelp();
      else if (key === '/') document.getElementById('search')?.focus();
      else if (key === 'm') toggleSimilar();
      else if (key === 'L') togglePanel('learned-tags');
      else if (key === 'q') setMode(useLibrary.getState().mode === 'review' ? 'library' : 'review');
      else handled = false;
      if (handled) e.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [addTag, toggleHelp, closeOverlays]);
}
