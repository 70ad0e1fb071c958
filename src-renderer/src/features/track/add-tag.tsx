// Adding a tag: autocomplete over the model's vocabulary and tags people added before; any other
// text becomes a new free-form tag (new vocabulary for retraining).
import { forwardRef, useImperativeHandle, useMemo, useRef, useState } from 'react';
import { labelTracks, reloadVocabulary, useReview } from '../../state/review-store';
import { actionTargets } from '../../state/selection-store';

export interface AddTagHandle {
  focus(): void;
}

/** The add-tag field; `t` focuses it. */
export const AddTag = forwardRef<AddTagHandle>(function AddTag(_props, ref) {
  const vocabulary = useReview((s) => s.vocabulary);
  const [text, setText] = useState('');
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(0);
  const input = useRef<HTMLInputElement>(null);
  useImperativeHandle(ref, () => ({ focus: () => input.current?.focus() }));

  const all = useMemo(() => [...vocabulary.model.map((t) => t.tag), ...vocabulary.user], [vocabulary]);
  const query = text.trim().toLowerCase();
  const suggestions = query ? all.filter((t) => t.toLowerCase().includes(query)).slice(0, 12) : [];

  const add = async (tag: string): Promise<void> => {
    const name = tag.trim();
    if (!name) return;
    const known = all.includes(name);
    // Let go of the keyboard at once, so the next shortcut (r: reviewed, next) acts, queued after
    // this change; the text stays until the change is saved, and stays when it is not.
    setOpen(false);
    input.current?.blur();
    if (await labelTracks(actionTargets(), 'add', name)) {
      setText((current) => (current.trim() === name ? '' : current));
      if (!known) await reloadVocabulary();
    }
  };

  return (
    <div className="add-tag">
      <input
        ref={input}
        type="text"
        value={text}
        placeholder="Add tag…  (t)"
        aria-label="Add tag"
        role="combobox"
        aria-expanded={open && suggestions.length > 0}
        aria-autocomplete="list"
        onChange={(e) => {
          setText(e.target.value);
          setOpen(true);
          setActive(0);
        }}
        onBlur={() => setTimeout(() => setOpen(false), 120)}
        onKeyDown={(e) => {
          if (e.key === 'ArrowDown') {
            e.preventDefault();
            setActive((a) => Math.min(a + 1, suggestions.length - 1));
          } else if (e.key === 'ArrowUp') {
            e.preventDefault();
            setActive((a) => Math.max(a - 1, 0));
          } else if (e.key === 'Enter') {
            e.preventDefault();
            void add(open && suggestions[active] ? suggestions[active] : text);
          } else if (e.key === 'Escape') {
            setText('');
            setOpen(false);
            input.current?.blur();
          }
        }}
      />
      {open && suggestions.length > 0 && (
        <ul className="suggestions" role="listbox">
          {suggestions.map((s, i) => (
            <li key={s} role="option" aria-selected={i === active} onMouseDown={(e) => e.preventDefault()} onClick={() => void add(s)}>
              {s}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
});
