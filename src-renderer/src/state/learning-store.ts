// On-device learning as the window sees it: where learning stands (from the core's `learning`
// events), the learned tags with their figures, and what the last refit changed. A finished refit
// changes suggestions everywhere, so it refreshes the table, the shown track and the open panel.
import { create } from 'zustand';
import type { LearnedTagsView, LearningStatus } from '../../../src-preload/contract';
import { call } from '../api/api';
import { refreshLoaded } from './library-store';
import { refreshDetailIfWanted } from './review-store';

interface LearningState {
  readonly status: LearningStatus | null;
  readonly view: LearnedTagsView | null;
  /** Tags learned now (suggesting), for the table's filter. */
  readonly learnedNames: readonly string[];
}

export const useLearning = create<LearningState>(() => ({ status: null, view: null, learnedNames: [] }));

let viewRequest = 0;

function keepView(view: LearnedTagsView): void {
  useLearning.setState({
    view,
    status: view.status,
    learnedNames: view.tags.filter((t) => t.status === 'learned').map((t) => t.tag),
  });
}

/** Reloads the learned tags and their figures; an older answer never wins. */
export async function loadLearnedTags(): Promise<void> {
  const request = ++viewRequest;
  const view = await call('learnedTags', undefined);
  if (request === viewRequest) keepView(view);
}

/** Follows a `learning` event: a finished refit reloads what its suggestions touch. */
export function onLearningStatus(status: LearningStatus): void {
  const before = useLearning.getState().status;
  useLearning.setState({ status });
  const finished = status.lastRefit !== null && status.lastRefit.at !== before?.lastRefit?.at;
  if (!finished) return;
  void loadLearnedTags().catch(() => undefined);
  if (status.lastRefit!.added + status.lastRefit!.removed > 0) {
    void refreshLoaded();
    void refreshDetailIfWanted('all');
  }
}

/** Runs a learned-tag request that answers with the new view (switching a tag off, refitting now). */
export async function withView(run: () => Promise<LearnedTagsView>): Promise<void> {
  ++viewRequest;
  keepView(await run());
}

/** A line saying where learning stands, for the top bar's button and the panel. */
export function describeLearning(status: LearningStatus | null): string {
  if (!status) return 'Learned tags';
  if (status.problem) return status.problem;
  if (status.state === 'refitting') return status.currentTag ? `Learning "${status.currentTag}"…` : 'Learning…';
  if (status.state === 'waiting') return 'Learning from your changes shortly…';
  const last = status.lastRefit;
  if (!last) return 'Tag a few tracks with your own words: eno learns them';
  return `${last.learned} learned tag${last.learned === 1 ? '' : 's'}; the last refit added ${last.added} and removed ${last.removed} suggestion${last.removed === 1 ? '' : 's'}`;
}
