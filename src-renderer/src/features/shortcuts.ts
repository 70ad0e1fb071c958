// The keyboard-only review flow. Keys act on the focused track, or on every selected track.
import { useEffect, type RefObject } from 'react';
import { call } from '../api/api';
import { effectiveQuery, setMode, useLibrary } from '../state/library-store';
import { advanceAfterReview, step } from '../state/navigation';
import { playPause, seekBy } from '../state/player';
import { labelTracks, markReviewed, redo, undo, useReview } from '../state/review-store';
import { actionTargets, selectIds } from '../state/selection-store';
import type { AddTagHandle } from './track/add-tag';
import { numberedTags, shownTags, toggleAction } from './track/tag-logic';

function typingIn(target: EventTarget | null): boolean {
  const el = target as HTMLElement | null;
  if (!el) return false;
  return el.tagName === 'INPUT' || el.tagName === 'TEXTAREA' || el.tagName === 'SELECT' || el.isContentEditable;
}

/** Marks the focused (or selected) tracks reviewed, then moves on. */
export async function reviewedAndNext(): Promise<void> {
  if (await markReviewed(actionTargets(), true)) await advanceAfterReview();
}

function toggleNumbered(n: number): void {
  const { detail, saving } = useReview.getState();
  // The shown states are those of before the change being saved: wait for it, or a quick second
  // press would repeat the first action instead of undoing it.
  if (!detail || saving) return;
  const tag = numberedTags(shownTags(detail))[n - 1];
  if (tag) void labelTracks(actionTargets(), toggleAction(tag), tag.tag);
}

/** Installs the window-wide shortcuts while the app is mounted. */
export function useShortcuts(addTag: RefObject<AddTagHandle | null>, toggleHelp: () => void, closeOverlays: () => void): void {
  useEffect(() => {
    const onKey = (e: KeyboardEvent): void => {
      if (e.key === 'Escape') {
        closeOverlays();
        return;
      }
      if (typingIn(e.target)) return;
      const mod = e.ctrlKey || e.metaKey;
      const key = e.key;
      let handled = true;
      if (mod && key.toLowerCase() === 'z') void (e.shiftKey ? redo() : undo());
      else if (mod && key.toLowerCase() === 'y') void redo();
      else if (mod && key.toLowerCase() === 'a') void call('trackIds', effectiveQuery()).then(selectIds);
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
      else if (key === 'q') setMode(useLibrary.getState().mode === 'review' ? 'library' : 'review');
      else handled = false;
      if (handled) e.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [addTag, toggleHelp, closeOverlays]);
}
