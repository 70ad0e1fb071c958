// Runs the persisted job queue through the tagging engine: N tracks in flight, pause (in-flight
// tracks are stopped and go back to the queue, so the CPU is free at once), resume, cancel, and
// progress with a rate and an ETA, reported at most four times a second.
import { promises as fs } from 'node:fs';
import type { QueueStatus } from '../../src-preload/contract';
import type { TaggingEngine } from '../inference/engine';
import { tagFile, type TaggedTrack, type TagOutcome } from '../tagging/tag-file';
import { PRIORITY, type ClaimedJob, type JobStore } from './job-store';

/** Waveform peaks asked of the engine per second; stored reduced to at most 1024 pairs. */
export const PEAKS_PER_SECOND = 40;
/** Progress events at most this often. */
export const PROGRESS_INTERVAL_MS = 250;
/** The rate is measured over this much recent time. */
const RATE_WINDOW_MS = 30_000;

/** What the queue tells the library. */
export interface QueueHooks {
  /** Writes a finished track's result (tags or a one-line reason). */
  readonly onOutcome: (trackId: number, outcome: TagOutcome) => void;
  /** Provisional tags of a dropped track while the rest of it is analysed. */
  readonly onPartial?: (trackId: number, partial: TaggedTrack) => void;
  /** Tracks whose status changed (started, put back). */
  readonly onTracksChanged: (trackIds: number[]) => void;
  /** Throttled progress. */
  readonly onProgress: (status: QueueStatus) => void;
  /** The engine broke; the queue paused itself. */
  readonly onEngineFailure: (message: string) => void;
}

type StopReason = 'pause' | 'cancel' | 'close' | 'engine';

interface Running {
  readonly path: string;
  readonly controller: AbortController;
  stop?: StopReason;
}

async function firstExisting(paths: readonly string[]): Promise<string | undefined> {
  for (const p of paths) {
    try {
      await fs.access(p);
      return p;
    } catch {
      // try the next copy
    }
  }
  return paths[0];
}

/** The tagging queue's worker side. */
export class TagQueue {
  private readonly running = new Map<number, Running>();
  private readonly inFlight = new Set<Promise<void>>();
  private paused: boolean;
  private closing = false;
  private done = 0;
  private failed = 0;
  private active = false;
  private runStartMs = 0;
  private completions: number[] = [];
  private lastEmitMs = 0;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly jobs: JobStore,
    private engine: TaggingEngine | null,
    private readonly concurrency: number,
    paused: boolean,
    private readonly hooks: QueueHooks,
  ) {
    this.paused = paused;
  }

  /** Starts jobs while there are free slots; call whenever jobs were added. */
  kick(): void {
    if (this.closing || this.paused || !this.engine) return;
    while (this.running.size < this.concurrency) {
      const job = this.jobs.claimNext();
      if (!job) break;
      if (!this.active) {
        this.active = true;
        this.done = 0;
        this.failed = 0;
        this.completions = [];
        this.runStartMs = Date.now();
      }
      this.start(job, this.engine);
    }
    if (this.running.size === 0) this.active = false;
    this.progress();
  }

  /** Where the queue stands. */
  status(): QueueStatus {
    const remaining = this.jobs.remaining();
    // Tracks being stopped (pause, cancel) no longer count as running.
    const live = [...this.running.values()].filter((r) => r.stop === undefined);
    const state = this.paused ? 'paused' : live.length > 0 ? 'running' : 'idle';
    const now = Date.now();
    const recent = this.completions.filter((t) => t > now - RATE_WINDOW_MS).length;
    const windowSec = Math.min(RATE_WINDOW_MS, now - this.runStartMs) / 1000;
    const tracksPerSec = this.active && windowSec > 0.5 ? recent / windowSec : 0;
    return {
      state,
      done: this.done,
      total: this.done + remaining,
      failed: this.failed,
      tracksPerSec: Math.round(tracksPerSec * 100) / 100,
      etaSec: tracksPerSec > 0 && remaining > 0 ? Math.round(remaining / tracksPerSec) : null,
      current: live.map((r) => r.path),
    };
  }

  /** Stops starting tracks and stops those in flight (they go back to the queue). */
  pause(): QueueStatus {
    this.paused = true;
    this.stopAll('pause');
    this.progress(true);
    return this.status();
  }

  /** Starts tagging again. */
  resume(): QueueStatus {
    this.paused = false;
    this.kick();
    return this.status();
  }

  /** Empties the queue and stops the tracks in flight; returns the tracks that left the queue. */
  cancel(): number[] {
    const ids = this.jobs.clear();
    this.stopAll('cancel');
    this.active = false;
    this.done = 0;
    this.failed = 0;
    this.progress(true);
    return ids;
  }

  /** Swaps the engine: tracks in flight go back to the queue and restart with the new one. */
  async setEngine(engine: TaggingEngine | null): Promise<void> {
    this.stopAll('engine');
    await this.settled();
    this.engine = engine;
    this.kick();
  }

  /** Stops everything and waits for the tracks in flight to be put back. */
  async close(): Promise<void> {
    this.closing = true;
    this.stopAll('close');
    await this.settled();
    clearTimeout(this.timer);
  }

  private async settled(): Promise<void> {
    while (this.inFlight.size) await Promise.all(this.inFlight);
  }

  private stopAll(reason: StopReason): void {
    for (const r of this.running.values()) {
      r.stop ??= reason;
      r.controller.abort();
    }
  }

  private start(job: ClaimedJob, engine: TaggingEngine): void {
    const run = this.run(job, engine).catch((error: unknown) => {
      // Writing a result failed (the store is broken or the disk full): stop rather than spin.
      this.running.delete(job.trackId);
      this.paused = true;
      this.hooks.onEngineFailure(`a result could not be saved: ${error instanceof Error ? error.message : String(error)}`);
    });
    this.inFlight.add(run);
    void run.finally(() => this.inFlight.delete(run));
  }

  private async run(job: ClaimedJob, engine: TaggingEngine): Promise<void> {
    const controller = new AbortController();
    const entry: Running = { path: job.paths[0] ?? '', controller };
    this.running.set(job.trackId, entry);
    this.hooks.onTracksChanged([job.trackId]);
    let outcome: TagOutcome;
    try {
      const path = await firstExisting(job.paths);
      if (path === undefined) {
        outcome = { status: 'error', file: '', reason: 'no file of this track is in the library any more' };
      } else {
        Object.assign(entry, { path });
        // A person is waiting for a track they dropped: show its tags as they build up.
        const onPartial = job.priority === PRIORITY.dropped && this.hooks.onPartial
          ? (partial: TaggedTrack) => {
              if (!entry.stop) this.hooks.onPartial!(job.trackId, partial);
            }
          : undefined;
        outcome = await tagFile(engine, path, { signal: controller.signal, peaksPerSecond: PEAKS_PER_SECOND, onPartial });
      }
    } catch (error) {
      // Not a problem with the file: the engine itself failed. Keep the job and stop.
      this.running.delete(job.trackId);
      if (!this.closing) {
        this.jobs.requeue([job.trackId]);
        this.paused = true;
        this.hooks.onEngineFailure(error instanceof Error ? error.message : String(error));
        this.hooks.onTracksChanged([job.trackId]);
        this.progress(true);
      } else {
        this.jobs.requeue([job.trackId]);
      }
      return;
    }
    this.running.delete(job.trackId);
    const stopped = entry.stop !== undefined && outcome.status === 'error';
    if (stopped) {
      if (entry.stop !== 'cancel') this.jobs.requeue([job.trackId]);
      if (!this.closing) this.hooks.onTracksChanged([job.trackId]);
    } else if (!this.closing || outcome.status === 'ok') {
      this.hooks.onOutcome(job.trackId, outcome);
      this.done++;
      if (outcome.status === 'error') this.failed++;
      this.completions.push(Date.now());
      if (this.completions.length > 1000) this.completions = this.completions.slice(-500);
    } else {
      this.jobs.requeue([job.trackId]);
    }
    if (!this.closing) this.kick();
  }

  /** Emits progress now, or schedules it so events come at most every PROGRESS_INTERVAL_MS. */
  private progress(force = false): void {
    if (this.closing) return;
    const now = Date.now();
    const wait = PROGRESS_INTERVAL_MS - (now - this.lastEmitMs);
    if (force || wait <= 0) {
      clearTimeout(this.timer);
      this.timer = undefined;
      this.lastEmitMs = now;
      this.hooks.onProgress(this.status());
    } else if (!this.timer) {
      this.timer = setTimeout(() => {
        this.timer = undefined;
        this.progress(true);
      }, wait);
    }
  }
}
