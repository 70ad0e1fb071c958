// The taggram under the waveform: per-patch activation of the best tags, aligned in time with the
// waveform, coloured on the same scale as the tag bars (each tag's threshold in the middle), with
// a time scale, a legend, and the tag, time and score of the cell under the pointer. Clicking a
// cell seeks to that moment.
import { useEffect, useRef, useState } from 'react';
import { seekTo } from '../../state/player';
import { formatClock } from '../format';
import { PALETTES, useResolvedTheme, type Palette } from '../theme';
import { relativeConfidence } from './confidence';

const ROW_PX = 12;
/** Room for tag names on the left; the waveform above is indented by the same amount. */
export const TAGGRAM_LABEL_PX = 110;
const LABEL_PX = TAGGRAM_LABEL_PX;
/** Tick steps of the time scale, in seconds; the smallest that leaves room for the labels wins. */
const TICK_STEPS_SEC = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 1200, 1800, 3600];
const MIN_TICK_GAP_PX = 56;

/** How opaque a cell is for a point of the relative scale: faint below the threshold, strong above. */
export function cellAlpha(relative: number): number {
  return relative < 0.5 ? 0.05 + 0.45 * relative : 0.3 + 1.4 * (relative - 0.5);
}

/** Tick positions (seconds) of the time scale for a track drawn `widthPx` wide. */
export function timeTicks(spanSec: number, widthPx: number): number[] {
  if (spanSec <= 0 || widthPx <= 0) return [];
  const step = TICK_STEPS_SEC.find((s) => (s / spanSec) * widthPx >= MIN_TICK_GAP_PX) ?? TICK_STEPS_SEC.at(-1)!;
  const ticks: number[] = [];
  for (let t = 0; t <= spanSec + 1e-9; t += step) ticks.push(t);
  return ticks;
}

interface Cell {
  readonly row: number;
  readonly patch: number;
}

function draw(el: HTMLCanvasElement, props: TaggramProps, palette: Palette): void {
  const { tags, rows, patchSec, thresholds } = props;
  const width = el.clientWidth;
  const ratio = window.devicePixelRatio || 1;
  el.width = Math.round(width * ratio);
  el.height = Math.round(tags.length * ROW_PX * ratio);
  const ctx = el.getContext('2d');
  if (!ctx) return;
  ctx.scale(ratio, ratio);
  ctx.clearRect(0, 0, width, tags.length * ROW_PX);
  const patches = rows[0]?.length ?? 0;
  // Columns sit under the stretch of waveform they were computed from.
  const cell = ((width - LABEL_PX) * patchSec) / spanOf(props, patches);
  ctx.font = '11px system-ui, sans-serif';
  ctx.textBaseline = 'middle';
  const [r, g, b] = palette.heat;
  tags.forEach((tag, i) => {
    ctx.fillStyle = palette.label;
    ctx.fillText(tag, 4, i * ROW_PX + ROW_PX / 2, LABEL_PX - 8);
    const threshold = thresholds.get(tag) ?? 0.5;
    rows[i]!.forEach((v, p) => {
      ctx.fillStyle = `rgba(${r}, ${g}, ${b}, ${cellAlpha(relativeConfidence(v, threshold)).toFixed(3)})`;
      ctx.fillRect(LABEL_PX + p * cell, i * ROW_PX + 1, Math.max(1, cell - 1), ROW_PX - 2);
    });
  });
}

/** Seconds the drawing spans: the track, or all its patches if they reach further. */
function spanOf(props: Pick<TaggramProps, 'durationSec' | 'patchSec'>, patches: number): number {
  return Math.max(props.durationSec, props.patchSec * patches, 1e-6);
}

interface TaggramProps {
  readonly tags: readonly string[];
  readonly rows: ReadonlyArray<readonly number[]>;
  readonly patchSec: number;
  readonly durationSec: number;
  /** Each tag's threshold (the middle of its colour scale). */
  readonly thresholds: ReadonlyMap<string, number>;
  /** The tag, time and score under the pointer, in words (null when it leaves). */
  readonly onPoint?: (description: string | null) => void;
}

/** The colour scale of the taggram, explained. */
export function TaggramLegend(): React.JSX.Element {
  return (
    <span className="taggram-legend" title="Each tag's colour is scaled to its own threshold, in the middle">
      below threshold <i className="ramp" aria-hidden="true" /> above
    </span>
  );
}

/** A canvas heat map (one row per tag, one column per patch) with its time scale. */
export function TaggramStrip(props: TaggramProps): React.JSX.Element {
  const { tags, rows, patchSec } = props;
  const canvas = useRef<HTMLCanvasElement>(null);
  const [widthPx, setWidthPx] = useState(0);
  const theme = useResolvedTheme();
  const patches = rows[0]?.length ?? 0;
  const span = spanOf(props, patches);

  useEffect(() => {
    const el = canvas.current;
    if (!el) return;
    const redraw = (): void => {
      setWidthPx(el.clientWidth);
      draw(el, props, PALETTES[theme]);
    };
    redraw();
    const observer = new ResizeObserver(redraw);
    observer.observe(el);
    return () => observer.disconnect();
    // props is rebuilt by every render of the parent; what it holds is listed instead.
  }, [props.tags, props.rows, props.patchSec, props.durationSec, props.thresholds, theme]);

  const cellAt = (e: React.MouseEvent<HTMLCanvasElement>): Cell | null => {
    const rect = e.currentTarget.getBoundingClientRect();
    const x = e.clientX - rect.left - LABEL_PX;
    const row = Math.floor((e.clientY - rect.top) / ROW_PX);
    if (x < 0 || patches === 0 || row < 0 || row >= tags.length) return null;
    const patch = Math.floor(((x / (rect.width - LABEL_PX)) * span) / patchSec);
    return patch < patches ? { row, patch } : null;
  };
  const onClick = (e: React.MouseEvent<HTMLCanvasElement>): void => {
    const at = cellAt(e);
    if (at) seekTo(at.patch * patchSec);
  };

  const plotPx = Math.max(0, widthPx - LABEL_PX);
  const point = (cell: Cell | null): void => props.onPoint?.(cell ? describeCell(props, cell) : null);
  return (
    <div className="taggram-block">
      <canvas
        ref={canvas}
        className="taggram"
        style={{ height: tags.length * ROW_PX }}
        onClick={onClick}
        onMouseMove={(e) => point(cellAt(e))}
        onMouseLeave={() => point(null)}
        data-testid="taggram"
        aria-label={`Taggram: ${tags.join(', ')} over ${patches} segments of ${patchSec.toFixed(1)} s; click to seek`}
        role="img"
      />
      <div className="taggram-axis" style={{ marginLeft: LABEL_PX }} aria-hidden="true">
        {timeTicks(span, plotPx).map((t) => (
          <span key={t} style={{ left: `${(t / span) * 100}%` }}>
            {formatClock(t)}
          </span>
        ))}
      </div>
    </div>
  );
}

function describeCell(props: TaggramProps, { row, patch }: Cell): string {
  const tag = props.tags[row]!;
  const score = props.rows[row]![patch]!;
  const threshold = props.thresholds.get(tag);
  const from = formatClock(patch * props.patchSec);
  const to = formatClock(Math.min((patch + 1) * props.patchSec, spanOf(props, props.rows[0]?.length ?? 0)));
  const against = threshold === undefined ? '' : ` (${score >= threshold ? 'at or above' : 'below'} its ${threshold.toFixed(2)} threshold)`;
  return `${tag} · ${from}–${to} · ${score.toFixed(2)}${against}`;
}
