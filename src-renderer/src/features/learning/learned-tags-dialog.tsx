// The "Learned tags" panel: every tag eno learns from the person's own examples, with how many
// examples it has, how right its suggestions are (cross-validated precision and recall at its
// threshold), how many tracks it suggests now, and the tools: examples, rename or merge, switch
// off, accept all above a score, show its suggestions in the table.
import { Fragment, useEffect, useState } from 'react';
import type { LearnedTagRow } from '../../../../src-preload/contract';
import { call } from '../../api/api';
import { setQuery } from '../../state/library-store';
import { describeLearning, loadLearnedTags, useLearning, withView } from '../../state/learning-store';
import { notify } from '../../state/notice-store';
import { useReview } from '../../state/review-store';
import { Dialog } from '../overlays/dialog';
import { AcceptAllForm, ExamplesList, RenameForm } from './learned-tag-tools';
import './learning.css';

type Tool = 'examples' | 'rename' | 'accept';

const pct = (x: number | null): string => (x === null ? '—' : `${Math.round(x * 100)}%`);

/** What a tag's status means: a short form for the table and the whole sentence for its tooltip. */
export function statusWords(row: LearnedTagRow): { short: string; long: string } {
  switch (row.status) {
    case 'learned':
      return { short: 'learned', long: 'Learned: it suggests itself on tracks that sound like its examples' };
    case 'off':
      return { short: 'off', long: 'Switched off: no suggestions, no fit' };
    case 'not-learnable':
      return { short: 'not yet', long: 'Not yet: its examples with and without it cannot be told apart well enough; give it more examples' };
    case 'too-few': {
      const needs = [
        row.positivesNeeded > 0 ? `${row.positivesNeeded} more track${row.positivesNeeded === 1 ? '' : 's'} with it` : null,
        row.negativesNeeded > 0 ? `${row.negativesNeeded} more reviewed without it` : null,
      ].filter(Boolean);
      const short = [row.positivesNeeded > 0 ? `+${row.positivesNeeded}` : null, row.negativesNeeded > 0 ? `−${row.negativesNeeded}` : null].filter(Boolean);
      return { short: `needs ${short.join(' ')}`, long: `Needs ${needs.join(' and ')} before it is learned` };
    }
  }
}

const STATUS_ORDER: Record<LearnedTagRow['status'], number> = { learned: 0, 'not-learnable': 1, 'too-few': 2, off: 3 };

/** Learned tags first, then those closest to being learned; most examples first within each. */
export function sortRows(rows: readonly LearnedTagRow[]): LearnedTagRow[] {
  return [...rows].sort(
    (a, b) => STATUS_ORDER[a.status] - STATUS_ORDER[b.status] || b.positives - a.positives || b.negatives - a.negatives || a.tag.localeCompare(b.tag),
  );
}

function TagRow({ row, tool, setTool, onShow }: { row: LearnedTagRow; tool: Tool | null; setTool: (t: Tool | null) => void; onShow: () => void }): React.JSX.Element {
  const toggle = (t: Tool): void => setTool(tool === t ? null : t);
  const words = statusWords(row);
  const setEnabled = (enabled: boolean): void => {
    withView(() => call('setLearnedTagEnabled', { tag: row.tag, enabled })).catch((e: Error) => notify('error', e.message));
  };
  return (
    <Fragment>
      <tr data-tag={row.tag} data-status={row.status}>
        <td className="learned-name">{row.tag}</td>
        <td className={`learned-status ${row.status}`} title={words.long}>
          {words.short}
        </td>
        <td className="num-cell" title="Tracks with the tag / reviewed tracks without it">
          {row.positives} / {row.negatives}
        </td>
        <td className="num-cell" title="Of the tracks it suggests, how many carry the tag (cross-validated)">
          {pct(row.precision)}
        </td>
        <td className="num-cell" title="Of the tracks that carry the tag, how many it finds (cross-validated)">
          {pct(row.recall)}
        </td>
        <td className="num-cell" data-testid={`suggests-${row.tag}`}>
          {row.status === 'learned' ? (
            <button className="link" onClick={onShow} title="Show these tracks in the table" disabled={row.suggested === 0}>
              {row.suggested}
            </button>
          ) : (
            '—'
          )}
        </td>
        <td>
          <div className="learned-actions">
            <button aria-pressed={tool === 'examples'} onClick={() => toggle('examples')}>
              Examples
            </button>
            <button aria-pressed={tool === 'rename'} onClick={() => toggle('rename')} title={row.modelTag ? 'A tag of the model: merge another into it instead' : 'Rename, or merge into another tag'} disabled={row.modelTag}>
              Rename
            </button>
            <button aria-pressed={tool === 'accept'} onClick={() => toggle('accept')} disabled={row.status !== 'learned' || row.suggested === 0} title="Accept it on every suggested track above a score">
              Accept all…
            </button>
            <label className="switch" title={row.enabled ? 'Suggesting; untick to switch it off' : 'Switched off: no suggestions'}>
              <input type="checkbox" checked={row.enabled} onChange={(e) => setEnabled(e.target.checked)} aria-label={`Learn ${row.tag}`} /> on
            </label>
          </div>
        </td>
      </tr>
      {tool && (
        <tr className="learned-tool">
          <td colSpan={7}>
            {tool === 'examples' && <ExamplesList tag={row.tag} />}
            {tool === 'rename' && <RenameForm row={row} onDone={() => setTool(null)} />}
            {tool === 'accept' && <AcceptAllForm row={row} onDone={() => setTool(null)} />}
          </td>
        </tr>
      )}
    </Fragment>
  );
}

/** The Learned tags dialog. */
export function LearnedTagsDialog({ onClose }: { onClose: () => void }): React.JSX.Element {
  const view = useLearning((s) => s.view);
  const status = useLearning((s) => s.status);
  const vocabulary = useReview((s) => s.vocabulary);
  const [open, setOpen] = useState<{ tag: string; tool: Tool } | null>(null);
  const [refitting, setRefitting] = useState(false);
  useEffect(() => {
    void loadLearnedTags().catch((e: Error) => notify('error', e.message));
  }, []);
  const refit = async (): Promise<void> => {
    setRefitting(true);
    try {
      await withView(() => call('learnNow', undefined));
    } catch (error) {
      notify('error', (error as Error).message);
    } finally {
      setRefitting(false);
    }
  };
  const show = (tag: string): void => {
    setQuery({ tag: null, learnedTag: tag, minConfidence: 0 });
    onClose();
  };
  const rows = sortRows(view?.tags ?? []);
  return (
    <Dialog label="Learned tags" title="Learned tags" onClose={onClose}>
      <p className="track-sub learned-intro">
        eno learns every tag you give at least three tracks (and leave off at least three reviewed ones) from how those tracks sound, and suggests it
        across the library. Nothing goes into a track's tags until you accept it.
      </p>
      <div className="learned-status-line">
        <span data-testid="learning-status">{describeLearning(status)}</span>
        {status?.space && (
          <span className="track-sub">
            {' '}
            · reads the {status.space} embedding of {status.embeddings ?? 0} tracks
          </span>
        )}
        <span className="spacer" />
        <button onClick={() => void refit()} disabled={refitting || status?.state === 'refitting'}>
          {refitting ? 'Refitting…' : 'Refit now'}
        </button>
      </div>
      <datalist id="vocabulary-tags">
        {[...vocabulary.model.map((t) => t.tag), ...vocabulary.user].map((t) => (
          <option key={t} value={t} />
        ))}
      </datalist>
      {rows.length === 0 ? (
        <p className="empty">{view ? 'No tags to learn yet. Add a tag of your own to three tracks and review a few others.' : 'Loading…'}</p>
      ) : (
        <table className="simple learned-table">
          <thead>
            <tr>
              <th>Tag</th>
              <th>Status</th>
              <th className="num-cell">Examples +/−</th>
              <th className="num-cell">Precision</th>
              <th className="num-cell">Recall</th>
              <th className="num-cell">Suggests</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => (
              <TagRow
                key={row.tag}
                row={row}
                tool={open?.tag === row.tag ? open.tool : null}
                setTool={(tool) => setOpen(tool ? { tag: row.tag, tool } : null)}
                onShow={() => show(row.tag)}
              />
            ))}
          </tbody>
        </table>
      )}
    </Dialog>
  );
}
