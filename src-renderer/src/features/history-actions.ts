// Undo and redo as a person sees them: the track a step changed comes into view (the focus moves
// to it), and a short notice names what was undone or redone, so nothing changes out of sight.
import { call } from '../api/api';
import { effectiveQuery, indexOfTrack, useLibrary } from '../state/library-store';
import { notify } from '../state/notice-store';
import { moveInHistory } from '../state/review-store';
import { focusTrack, useSelection } from '../state/selection-store';

/** Where a track is in the table now: the loaded rows first, else the whole query. */
async function tableIndexOf(id: number): Promise<number | null> {
  const loaded = indexOfTrack(id);
  if (loaded !== null) return loaded;
  const { generation } = useLibrary.getState();
  const ids = await call('trackIds', effectiveQuery());
  if (useLibrary.getState().generation !== generation) return null;
  const at = ids.indexOf(id);
  return at < 0 ? null : at;
}

/** Undoes or redoes the last step, then shows the track it changed and says what it was. */
export async function stepHistory(direction: 'undo' | 'redo'): Promise<void> {
  const move = await moveInHistory(direction);
  if (!move) {
    notify('info', direction === 'undo' ? 'Nothing to undo' : 'Nothing to redo');
    return;
  }
  const tracks = move.outcome.tracks;
  const verb = direction === 'undo' ? 'Undone' : 'Redone';
  const where = tracks.length === 1 ? ` (${tracks[0]!.title})` : '';
  const { focusedId } = useSelection.getState();
  let hidden = false;
  if (!tracks.some((t) => t.id === focusedId)) {
    const target = tracks[0]!;
    const at = await tableIndexOf(target.id);
    if (at === null) hidden = true;
    else focusTrack(at, target.id);
  }
  notify('info', `${verb}: ${move.label}${where}${hidden ? ', not shown with the current search and filters' : ''}`);
}
