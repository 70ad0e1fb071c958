// The top of the track view: cover, title, artist and album (or the file), and where the track
// stands: its status and whether it was edited and uploaded.
import type { TrackDetail } from '../../../../src-preload/contract';
import { CoverArt } from './cover-art';

/** What a row's corrections amount to, in words: edited, reviewed, uploaded. */
export function correctionWords(row: TrackDetail['row']): string[] {
  const words: string[] = [];
  if (row.edited) words.push('edited');
  if (row.status === 'reviewed') words.push('reviewed');
  if (row.uploaded) words.push('uploaded');
  else if (row.edited || row.status === 'reviewed') words.push('not uploaded yet');
  return words;
}

/** Title block of the shown track. */
export function TrackHeader({ detail }: { detail: TrackDetail }): React.JSX.Element {
  const { row } = detail;
  const byline = [row.artist, row.album].filter(Boolean).join(' — ');
  const state = [row.status === 'reviewed' ? null : row.status, ...correctionWords(row)].filter(Boolean).join(' · ');
  return (
    <header className="track-header">
      <CoverArt key={row.id} trackId={row.id} sizePx={56} />
      <div className="track-heading">
        <h2 className="track-title" title={row.title}>
          {row.title}
        </h2>
        <div className="track-sub ellipsis" title={detail.files.join('\n')}>
          {byline || detail.files[0] || ''}
        </div>
        <div className="track-state">{state}</div>
      </div>
    </header>
  );
}
