// The top bar's entry to the learned tags: how many tags eno has learned, a mark while it refits,
// and what the last refit changed (+added / −removed suggestions) until the panel is opened.
import { useState } from 'react';
import { describeLearning, useLearning } from '../../state/learning-store';
import './learning.css';

/** The "Learned" button. */
export function LearnedButton({ onOpen }: { onOpen: () => void }): React.JSX.Element {
  const status = useLearning((s) => s.status);
  const learned = useLearning((s) => s.learnedNames.length);
  const [seen, setSeen] = useState<string | null>(null);
  const last = status?.lastRefit ?? null;
  const fresh = last !== null && last.at !== seen && last.added + last.removed > 0;
  const busy = status?.state === 'refitting' || status?.state === 'waiting';
  return (
    <button
      className="learned-button"
      data-testid="learned-button"
      title={`${describeLearning(status)} (Shift+L)`}
      onClick={() => {
        setSeen(last?.at ?? null);
        onOpen();
      }}
    >
      <span aria-hidden="true" className="mark">
        ✦
      </span>
      <span className="label">Learned</span>
      {learned > 0 && <span className="count">{learned}</span>}
      {busy && <span className="learning-dot" aria-label="learning" />}
      {!busy && fresh && (
        <span className="refit-delta" data-testid="refit-delta" aria-label={`last refit: ${last.added} added, ${last.removed} removed`}>
          +{last.added}/−{last.removed}
        </span>
      )}
    </button>
  );
}
