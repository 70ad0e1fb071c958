// The shown track's tags as laid out on screen: each keeps its place and number key while the
// track stays shown (see layoutTags). The track view draws these and the number keys act on them.
import { create } from 'zustand';
import type { TrackDetail } from '../../../src-preload/contract';
import { layoutTags, type ShownTag, type TagLayout } from '../features/track/tag-logic';
import { useReview } from './review-store';

interface TagLayoutState {
  readonly layout: TagLayout | null;
  /** The shown tags in display order. */
  readonly tags: readonly ShownTag[];
}

export const useTagLayout = create<TagLayoutState>(() => ({ layout: null, tags: [] }));

/** Lays out a detail's tags, keeping the current layout when it is the same track. */
export function tagsFor(detail: TrackDetail): { tags: ShownTag[]; layout: TagLayout } {
  return layoutTags(detail, useTagLayout.getState().layout);
}

useReview.subscribe((state, previous) => {
  if (state.detail === previous.detail) return;
  if (!state.detail) {
    useTagLayout.setState({ layout: null, tags: [] });
    return;
  }
  useTagLayout.setState(tagsFor(state.detail));
});
