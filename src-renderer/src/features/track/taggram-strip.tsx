// The taggram under the waveform: per-patch activation of the best tags, aligned in time with the
// waveform; clicking a cell seeks to that moment.
import { useEffect, useRef } from 'react';
import { seekTo } from '../../state/player';

const ROW_PX = 14;
/** Room for tag names on the left; the waveform above is indented by the same amount. */
export const TAGGRAM_LABEL_PX = 110;
const LABEL_PX = TAGGRAM_LABEL_PX;

/** A canvas heat map: one row per tag, one column per patch. */
export function TaggramStrip({
  tags,
  rows,
  patchSec,
  durationSec,
}: {
  tags: readonly string[];
  rows: ReadonlyArray<readonly number[]>;
  patchSec: number;
  durationSec: number;
}): React.JSX.Element {
  const canvas = useRef<HTMLCanvasElement>(null);
  const patches = rows[0]?.length ?? 0;

  useEffect(() => {
    const el = canvas.current;
    if (!el) return;
    const draw = (): void => {
      const width = el.clientWidth;
      const ratio = window.devicePixelRatio || 1;
      el.width = Math.round(width * ratio);
      el.height = Math.round(tags.length * ROW_PX * ratio);
      const ctx = el.getContext('2d');
      if (!ctx) return;
      ctx.scale(ratio, ratio);
      ctx.clearRect(0, 0, width, tags.length * ROW_PX);
      // Columns sit under the stretch of waveform they were computed from.
      const cell = ((width - LABEL_PX) * patchSec) / Math.max(durationSec, patchSec * patches, 1e-6);
      ctx.font = '11px system-ui, sans-serif';
      ctx.textBaseline = 'middle';
      tags.forEach((tag, r) => {
        ctx.fillStyle = '#9aa3ad';
        ctx.fillText(tag, 4, r * ROW_PX + ROW_PX / 2, LABEL_PX - 8);
        rows[r]!.forEach((v, p) => {
          const a = Math.max(0, Math.min(1, v));
          ctx.fillStyle = `rgba(108, 182, 255, ${0.08 + 0.92 * a})`;
          ctx.fillRect(LABEL_PX + p * cell, r * ROW_PX + 1, Math.max(1, cell - 1), ROW_PX - 2);
        });
      });
    };
    draw();
    const observer = new ResizeObserver(draw);
    observer.observe(el);
    return () => observer.disconnect();
  }, [tags, rows, patches, patchSec, durationSec]);

  const onClick = (e: React.MouseEvent<HTMLCanvasElement>): void => {
    const rect = e.currentTarget.getBoundingClientRect();
    const x = e.clientX - rect.left - LABEL_PX;
    if (x < 0 || patches === 0) return;
    const span = Math.max(durationSec, patchSec * patches, 1e-6);
    const patch = Math.floor(((x / (rect.width - LABEL_PX)) * span) / patchSec);
    if (patch < patches) seekTo(patch * patchSec);
  };
  return (
    <canvas
      ref={canvas}
      className="taggram"
      style={{ height: tags.length * ROW_PX }}
      onClick={onClick}
      data-testid="taggram"
      aria-label={`Taggram: ${tags.join(', ')} over ${patches} segments of ${patchSec.toFixed(1)} s; click to seek`}
      role="img"
    />
  );
}
