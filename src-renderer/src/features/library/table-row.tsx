// One row of the library table: the shown columns of a track, its selection and focus, the mark of
// the track playing now. Click, Ctrl-click and Shift-click select (Shift-click selects rows, never
// the page's text).
import type { TrackRow } from '../../../../src-preload/contract';
import { call } from '../../api/api';
import { effectiveQuery, useLibrary } from '../../state/library-store';
import { usePlayer } from '../../state/player';
import { focusTrack, selectRange, toggleTrack, useSelection } from '../../state/selection-store';
import { formatClock } from '../format';
import { CoverArt } from '../track/cover-art';
import type { ColumnDef, ColumnId } from './columns';

const TAG_COLUMNS: readonly ColumnId[] = ['tags', 'genres', 'descriptors'];

function tagList(tags: TrackRow['genres']): string {
  return tags.map((t) => t.tag).join(', ');
}

/** The status pill and the marks of what a person did: edited, uploaded. */
function StatusCell({ row }: { row: TrackRow }): React.JSX.Element {
  const corrected = row.edited || row.status === 'reviewed';
  return (
    <span role="gridcell" data-col="status" className="status-cell" title={row.status === 'error' ? (row.error ?? undefined) : undefined}>
      <span className={`status ${row.status}`}>{row.needsReview && row.status !== 'reviewed' ? 'check' : row.status}</span>
      {row.edited && (
        <span className="mark edited" title="Edited: you changed its tags" aria-label="edited">
          ✎
        </span>
      )}
      {corrected && (
        <span className={`mark ${row.uploaded ? 'uploaded' : 'pending'}`} title={row.uploaded ? 'Uploaded to ClearML' : 'Not uploaded yet'} aria-label={row.uploaded ? 'uploaded' : 'not uploaded'}>
          {row.uploaded ? '⇡' : '•'}
        </span>
      )}
    </span>
  );
}

function Cell({ column, row, errorHere }: { column: ColumnDef; row: TrackRow; errorHere: boolean }): React.JSX.Element {
  const id = column.id;
  if (errorHere) {
    return (
      <span role="gridcell" data-col={id} className="error-text" title={row.error ?? undefined}>
        {row.error}
      </span>
    );
  }
  switch (id) {
    case 'art':
      return (
        <span role="gridcell" data-col={id}>
          <CoverArt key={row.id} trackId={row.id} sizePx={24} className="row-art" />
        </span>
      );
    case 'title':
      return <TitleCell row={row} />;
    case 'artist':
      return <span role="gridcell" data-col={id}>{row.artist ?? ''}</span>;
    case 'album':
      return <span role="gridcell" data-col={id}>{row.album ?? ''}</span>;
    case 'length':
      return <span role="gridcell" data-col={id} className="num-cell">{formatClock(row.durationSec)}</span>;
    case 'tags':
      return <span role="gridcell" data-col={id} className="mini-tags">{tagList([...row.genres, ...row.descriptors, ...row.others])}</span>;
    case 'genres':
      return <span role="gridcell" data-col={id} className="mini-tags">{tagList(row.genres)}</span>;
    case 'descriptors':
      return (
        <span role="gridcell" data-col={id} className="mini-tags">
          {tagList(row.descriptors)}
          {row.others.length > 0 && <i className="other-tags">{`${row.descriptors.length > 0 ? ' · ' : ''}${tagList(row.others)}`}</i>}
        </span>
      );
    case 'status':
      return <StatusCell row={row} />;
    case 'path':
      return <span role="gridcell" data-col={id} className="path-cell" title={row.path ?? undefined}>{row.path ?? ''}</span>;
  }
}

function TitleCell({ row }: { row: TrackRow }): React.JSX.Element {
  const playing = usePlayer((s) => s.playing && s.trackId === row.id);
  return (
    <span role="gridcell" data-col="title" title={row.path ?? undefined}>
      {playing && (
        <span className="now-playing" aria-label="playing now" title="Playing now">
          ▶{' '}
        </span>
      )}
      {row.title}
    </span>
  );
}

/** A row at `start` px (virtualized); a placeholder while its page loads. */
export function TableRow({ row, index, start, columns }: { row: TrackRow | undefined; index: number; start: number; columns: readonly ColumnDef[] }): React.JSX.Element {
  const selected = useSelection((s) => (row ? s.selected.has(row.id) : false));
  const focused = useSelection((s) => row !== undefined && s.focusedId === row.id);
  const style = { position: 'absolute' as const, top: 0, left: 0, right: 0, transform: `translateY(${start}px)` };
  if (!row) {
    return (
      <div className="table-row placeholder-row" style={style} aria-rowindex={index + 2}>
        <span>…</span>
      </div>
    );
  }
  const onClick = async (e: React.MouseEvent): Promise<void> => {
    if (e.metaKey || e.ctrlKey) return toggleTrack(index, row.id);
    const { anchorIndex: anchor, focusSeq } = useSelection.getState();
    if (e.shiftKey && anchor !== null) {
      const { generation } = useLibrary.getState();
      const ids = await call('trackIds', effectiveQuery());
      // Dropped when the focus moved or the table changed meanwhile.
      if (useSelection.getState().focusSeq !== focusSeq || useLibrary.getState().generation !== generation) return;
      const [a, b] = anchor < index ? [anchor, index] : [index, anchor];
      return selectRange(index, row.id, ids.slice(a, b + 1));
    }
    focusTrack(index, row.id);
  };
  const errorColumn = row.status === 'error' ? columns.find((c) => TAG_COLUMNS.includes(c.id))?.id : undefined;
  return (
    <div
      className={`table-row${focused ? ' focused' : ''}`}
      style={style}
      role="row"
      aria-rowindex={index + 2}
      aria-selected={selected}
      data-track-id={row.id}
      // A Shift-click extends the selection of rows; without this it also selects the page's text.
      onMouseDown={(e) => e.shiftKey && e.preventDefault()}
      onClick={(e) => void onClick(e)}
    >
      {columns.map((c) => (
        <Cell key={c.id} column={c} row={row} errorHere={c.id === errorColumn} />
      ))}
      <span aria-hidden="true" />
    </div>
  );
}
