// The predicted tags of a track grouped as genres, descriptors and other: each with its confidence
// as a bar (threshold marked) and a number, its review state, and accept/reject/remove buttons.
import { labelTracks } from '../../state/review-store';
import { actionTargets } from '../../state/selection-store';
import { groupOf, modelMark, numberedTags, type ShownTag, type TagGroupName } from './tag-logic';

const GROUP_TITLES: Record<TagGroupName, string> = { genres: 'Genres', descriptors: 'Descriptors', other: 'Other' };

function Chip({ tag, number }: { tag: ShownTag; number: number | null }): React.JSX.Element {
  const cls = ['chip', tag.final ? 'final' : '', tag.label === 'rejected' ? 'rejected' : '', tag.label === 'added' ? 'added' : ''].join(' ');
  const state = tag.label ?? (tag.predicted ? 'predicted' : 'below threshold');
  return (
    <div className={cls} data-tag={tag.tag} data-state={state} data-final={tag.final} data-model={tag.model ?? undefined} aria-label={`${tag.tag}: ${state}${tag.score !== null ? `, ${Math.round(tag.score * 100)}%` : ''}${tag.model ? `, from ${tag.model}` : ''}`}>
      <span className="num">{number !== null ? number : ''}</span>
      <span className="name">
        {tag.tag}
        {tag.model && (
          <small className="model-mark" title={`from the model ${tag.model}`}>
            {' '}
            {modelMark(tag.model)}
          </small>
        )}
      </span>
      <span className="actions">
        {tag.score !== null && (
          <button
            onClick={() => void labelTracks(actionTargets(), tag.label === 'accepted' || tag.label === 'added' ? 'clear' : 'accept', tag.tag)}
            aria-pressed={tag.label === 'accepted' || tag.label === 'added'}
            title="Confirm this tag"
          >
            ✓
          </button>
        )}
        {tag.score !== null ? (
          <button
            onClick={() => void labelTracks(actionTargets(), tag.label === 'rejected' ? 'clear' : 'reject', tag.tag)}
            aria-pressed={tag.label === 'rejected'}
            title="Reject this tag"
          >
            ✗
          </button>
        ) : (
          <button onClick={() => void labelTracks(actionTargets(), 'clear', tag.tag)} title="Remove this tag">
            ×
          </button>
        )}
      </span>
      {tag.score !== null && (
        <>
          <span className="bar" aria-hidden="true">
            <span style={{ width: `${Math.round(tag.score * 100)}%` }} />
            <i style={{ left: `${Math.round((tag.threshold ?? 0) * 100)}%` }} />
          </span>
          <span className="score" style={{ gridColumn: '1 / -1' }}>
            {tag.score.toFixed(2)} {tag.predicted ? '' : `(threshold ${tag.threshold?.toFixed(2)})`}
          </span>
        </>
      )}
    </div>
  );
}

/** All tag groups of the shown track. */
export function TagChips({ tags }: { tags: readonly ShownTag[] }): React.JSX.Element {
  const numbers = new Map(numberedTags(tags).map((t, i) => [t.tag, i + 1]));
  const groups: TagGroupName[] = ['genres', 'descriptors', 'other'];
  return (
    <div className="tag-groups">
      {groups.map((g) => {
        const list = tags.filter((t) => groupOf(t) === g);
        return (
          <section key={g} className="tag-group" aria-label={GROUP_TITLES[g]}>
            <h3>{GROUP_TITLES[g]}</h3>
            <div className="chips">
              {list.length === 0 ? <span className="track-sub">none</span> : list.map((t) => <Chip key={t.tag} tag={t} number={numbers.get(t.tag) ?? null} />)}
            </div>
          </section>
        );
      })}
    </div>
  );
}
