// The shown track's tags grouped as genres, descriptors and other. Each chip has its number key,
// its state (the legend explains the styles), confirm/reject buttons, and its confidence as a bar
// whose middle is the tag's threshold, with the score against the threshold written out.
import { labelTracks } from '../../state/review-store';
import { actionTargets } from '../../state/selection-store';
import { compareToThreshold, relativeConfidence } from './confidence';
import { chipStyle, groupOf, modelMark, type ShownTag, type TagGroupName } from './tag-logic';

const GROUP_TITLES: Record<TagGroupName, string> = { genres: 'Genres', descriptors: 'Descriptors', other: 'Other' };

function stateWords(tag: ShownTag): string {
  return tag.label ?? (tag.learned ? 'learned suggestion' : tag.predicted ? 'predicted' : 'below threshold');
}

const percent = (x: number | undefined): string => (x === undefined ? '?' : `${Math.round(x * 100)}%`);

function Confidence({ tag }: { tag: ShownTag }): React.JSX.Element {
  if (tag.score === null || tag.threshold === null) {
    return <span className="score">{tag.final ? 'added by you' : 'not on this track'}</span>;
  }
  const c = compareToThreshold(tag.score, tag.threshold);
  const relative = relativeConfidence(tag.score, tag.threshold);
  return (
    <>
      <span className="bar" aria-hidden="true">
        <span style={{ width: `${(relative * 100).toFixed(1)}%` }} />
        <i />
      </span>
      {tag.learned ? (
        <span
          className="score"
          title={`Learned from your own tags: suggested from a score of ${tag.threshold}; this track scores ${tag.score}. Of the tracks it suggests, about ${percent(tag.precision)} carry the tag (cross-validated on your examples).`}
        >
          {c.score} {c.relation} {c.threshold} · {percent(tag.precision)}
        </span>
      ) : (
        <span className="score" title={`The model gives "${tag.tag}" from a score of ${tag.threshold}; this track scores ${tag.score}`}>
          {c.score} {c.relation} {c.threshold}
        </span>
      )}
    </>
  );
}

function Chip({ tag, number }: { tag: ShownTag; number: number | null }): React.JSX.Element {
  const style = chipStyle(tag);
  const confirmed = tag.label === 'accepted' || tag.label === 'added';
  const targets = (): number[] => actionTargets();
  return (
    <div
      className={`chip ${style}${tag.final ? ' final' : ''}`}
      data-tag={tag.tag}
      data-state={stateWords(tag)}
      data-final={tag.final}
      data-model={tag.model ?? undefined}
      aria-label={`${number !== null ? `${number}: ` : ''}${tag.tag}, ${stateWords(tag)}${tag.score !== null ? `, score ${tag.score.toFixed(2)}` : ''}${tag.model ? `, from ${tag.model}` : ''}`}
    >
      <span className="num">{number ?? ''}</span>
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
        {(tag.score !== null || !tag.final) && (
          <button onClick={() => void labelTracks(targets(), confirmed ? 'clear' : tag.score === null ? 'add' : 'accept', tag.tag)} aria-pressed={confirmed} title="Confirm this tag">
            ✓
          </button>
        )}
        {tag.score !== null ? (
          <button onClick={() => void labelTracks(targets(), tag.label === 'rejected' ? 'clear' : 'reject', tag.tag)} aria-pressed={tag.label === 'rejected'} title="Reject this tag">
            ✗
          </button>
        ) : (
          tag.final && (
            <button onClick={() => void labelTracks(targets(), 'clear', tag.tag)} title="Remove this tag">
              ×
            </button>
          )
        )}
      </span>
      <Confidence tag={tag} />
    </div>
  );
}

/** The chip styles and the bar, explained in one line. */
export function ChipLegend(): React.JSX.Element {
  const samples: Array<[string, string, string]> = [
    ['predicted', 'predicted', 'the model gives it'],
    ['accepted', 'accepted', 'you confirmed what the model gave'],
    ['added', 'added', 'you added it'],
    ['rejected', 'rejected', 'you took it out'],
    ['learned', 'learned', 'suggested from your own tags'],
    ['below', 'below threshold', 'the model leans towards it but does not give it'],
  ];
  return (
    <div className="chip-legend" aria-label="What the chip styles mean">
      {samples.map(([style, name, meaning]) => (
        <span key={style} className={`legend-chip ${style}`} title={meaning}>
          {name}
        </span>
      ))}
      <span className="legend-bar" title="Each bar's middle mark is that tag's threshold: past it, the model gives the tag">
        <span className="bar" aria-hidden="true">
          <span style={{ width: '70%' }} />
          <i />
        </span>
        threshold in the middle
      </span>
    </div>
  );
}

/** All tag groups of the shown track, numbered as laid out. */
export function TagChips({ tags, numbers }: { tags: readonly ShownTag[]; numbers: ReadonlyMap<string, number> }): React.JSX.Element {
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
