// What can be done to one learned tag from the "Learned tags" panel: see the tracks it was fitted
// on, rename it (or merge it into another tag), and accept it on every track it suggests above a
// chosen score, after a preview of how many.
import { useEffect, useState } from 'react';
import type { LearnedTagExamples, LearnedTagRow } from '../../../../src-preload/contract';
import { call } from '../../api/api';
import { loadLearnedTags } from '../../state/learning-store';
import { notify } from '../../state/notice-store';
import { acceptLearnedAbove, renameTag } from '../../state/review-store';

/** The tracks a tag was fitted on, with and without it. */
export function ExamplesList({ tag }: { tag: string }): React.JSX.Element {
  const [examples, setExamples] = useState<LearnedTagExamples | null>(null);
  useEffect(() => {
    call('learnedTagExamples', { tag, limit: 50 })
      .then(setExamples)
      .catch((e: Error) => notify('error', e.message));
  }, [tag]);
  if (!examples) return <p className="track-sub">Loading examples…</p>;
  const column = (title: string, rows: LearnedTagExamples['positives']): React.JSX.Element => (
    <div>
      <h4>
        {title} ({rows.length})
      </h4>
      <ul className="example-list">
        {rows.map((r) => (
          <li key={r.id} title={r.path ?? undefined}>
            {r.title}
            {r.artist && <span className="track-sub"> · {r.artist}</span>}
          </li>
        ))}
        {rows.length === 0 && <li className="track-sub">none yet</li>}
      </ul>
    </div>
  );
  return (
    <div className="learned-examples" data-testid={`examples-${tag}`}>
      {column('With the tag', examples.positives)}
      {column('Without it (reviewed or rejected)', examples.negatives)}
    </div>
  );
}

/** Renames a tag people added, or merges it into another (model tags can only be merged into). */
export function RenameForm({ row, onDone }: { row: LearnedTagRow; onDone: () => void }): React.JSX.Element {
  const [to, setTo] = useState('');
  const submit = async (): Promise<void> => {
    const name = to.trim();
    if (!name) return;
    if (await renameTag(row.tag, name)) {
      notify('info', `"${row.tag}" is now "${name}" on every track (Ctrl+Z undoes)`);
      await loadLearnedTags();
      onDone();
    }
  };
  return (
    <form
      className="inline-form"
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
    >
      <label>
        {`Rename "${row.tag}" to, or merge it into`}{' '}
        <input autoFocus value={to} onChange={(e) => setTo(e.target.value)} aria-label={`New name for ${row.tag}`} list="vocabulary-tags" />
      </label>
      <button type="submit" className="primary" disabled={!to.trim()}>
        Rename
      </button>
      <button type="button" onClick={onDone}>
        Cancel
      </button>
    </form>
  );
}

/** "Accept all above X": a minimum score, the number of tracks it would tag, and the action. */
export function AcceptAllForm({ row, onDone }: { row: LearnedTagRow; onDone: () => void }): React.JSX.Element {
  const threshold = row.threshold ?? 0.5;
  const [minScore, setMinScore] = useState(Math.min(0.99, Math.round((threshold + (1 - threshold) / 2) * 100) / 100));
  const [count, setCount] = useState<number | null>(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    let live = true;
    setCount(null);
    const timer = setTimeout(() => {
      call('acceptLearned', { tag: row.tag, minScore, apply: false })
        .then((r) => live && setCount(r.count))
        .catch((e: Error) => notify('error', e.message));
    }, 120);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [row.tag, minScore]);
  const accept = async (): Promise<void> => {
    setBusy(true);
    try {
      const done = await acceptLearnedAbove(row.tag, minScore);
      if (done !== null) notify('info', `"${row.tag}" accepted on ${done} track${done === 1 ? '' : 's'} (Ctrl+Z undoes)`);
      await loadLearnedTags();
      onDone();
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="inline-form" data-testid={`accept-all-${row.tag}`}>
      <label>
        Accept on tracks scoring at least{' '}
        <input
          type="number"
          min={threshold}
          max={1}
          step={0.01}
          value={minScore}
          onChange={(e) => setMinScore(Math.min(1, Math.max(threshold, Number(e.target.value) || threshold)))}
          aria-label={`Minimum score for ${row.tag}`}
        />
      </label>
      <span className="track-sub" data-testid="accept-preview">
        {count === null ? 'counting…' : `${count} track${count === 1 ? '' : 's'}`} (suggested from {threshold.toFixed(2)})
      </span>
      <button className="primary" disabled={busy || !count} onClick={() => void accept()}>
        Accept on {count ?? '…'}
      </button>
      <button onClick={onDone}>Cancel</button>
    </div>
  );
}
