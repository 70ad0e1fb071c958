// Progress of a batch: a live line on a terminal (done/total, tracks per second, real-time factor,
// ETA), or one plain line per finished track when output is piped.

export interface ProgressSnapshot {
  readonly done: number;
  readonly total: number;
  readonly failed: number;
  readonly audioSec: number;
  readonly elapsedSec: number;
}

/** Formats seconds as h:mm:ss or m:ss. */
export function formatClock(totalSec: number): string {
  if (!Number.isFinite(totalSec) || totalSec < 0) return '--:--';
  const s = Math.round(totalSec);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${sec}` : `${m}:${sec}`;
}

/** Rate and ETA figures for a snapshot. */
export function rates(p: ProgressSnapshot): { tracksPerSec: number; realtime: number; etaSec: number } {
  const tracksPerSec = p.elapsedSec > 0 ? p.done / p.elapsedSec : 0;
  const realtime = p.elapsedSec > 0 ? p.audioSec / p.elapsedSec : 0;
  const etaSec = tracksPerSec > 0 ? (p.total - p.done) / tracksPerSec : Number.NaN;
  return { tracksPerSec, realtime, etaSec };
}

/** One progress line, e.g. "[####------] 40/100  40%  3.2 tracks/s  180x real time  ETA 0:19". */
export function progressLine(p: ProgressSnapshot, width = 20): string {
  const fraction = p.total > 0 ? p.done / p.total : 0;
  const filled = Math.round(fraction * width);
  const { tracksPerSec, realtime, etaSec } = rates(p);
  const failed = p.failed > 0 ? `  ${p.failed} failed` : '';
  return (
    `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${p.done}/${p.total}  ${Math.floor(fraction * 100)}%  ` +
    `${tracksPerSec.toFixed(1)} tracks/s  ${Math.round(realtime)}x real time  ETA ${formatClock(etaSec)}${failed}`
  );
}

export interface ProgressView {
  /** Called after each finished track; `line` describes it for non-interactive output. */
  update(snapshot: ProgressSnapshot, line: string): void;
  /** Prints a message on the progress stream without garbling the live line. */
  message(text: string): void;
  /** Runs a write to another stream of the same terminal without garbling the live line. */
  around(write: () => void): void;
  /** Removes the live line. */
  clear(): void;
}

/** A redrawn single line on an interactive terminal, throttled to 10 redraws per second. */
export class TerminalProgress implements ProgressView {
  private lastDraw = 0;
  private shown = false;
  private latest: ProgressSnapshot | undefined;

  constructor(private readonly stream: NodeJS.WriteStream) {}

  update(snapshot: ProgressSnapshot): void {
    this.latest = snapshot;
    const now = Date.now();
    if (now - this.lastDraw < 100 && snapshot.done < snapshot.total) return;
    this.lastDraw = now;
    this.draw();
  }

  message(text: string): void {
    this.around(() => this.stream.write(`${text}\n`));
  }

  around(write: () => void): void {
    const wasShown = this.shown;
    this.clear();
    write();
    if (wasShown && this.latest) this.draw();
  }

  clear(): void {
    if (this.shown) this.stream.write('\r\x1b[2K');
    this.shown = false;
  }

  private draw(): void {
    if (!this.latest) return;
    const columns = this.stream.columns || 100;
    this.stream.write(`\r\x1b[2K${progressLine(this.latest).slice(0, columns - 1)}`);
    this.shown = true;
  }
}

/** Plain lines for logs and pipes: one per finished track. */
export class PlainProgress implements ProgressView {
  constructor(private readonly write: (text: string) => void) {}

  update(snapshot: ProgressSnapshot, line: string): void {
    this.write(`[${snapshot.done}/${snapshot.total}] ${line}\n`);
  }

  message(text: string): void {
    this.write(`${text}\n`);
  }

  around(write: () => void): void {
    write();
  }

  clear(): void {}
}
