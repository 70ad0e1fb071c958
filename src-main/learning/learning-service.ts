// The main thread's side of learned tags: starts the learning worker, asks it to refit a moment
// after the person's corrections settle (and after new tracks are tagged), forwards "more like
// this" questions, and reports what the last refit changed. Nothing here fits or scores: the main
// thread never does that work.
import type { Worker } from 'node:worker_threads';
import type { LearningStatus } from '../../src-preload/contract';
import { startWorkerThread } from '../worker-entry';
import type { FromLearnWorker, LearnWorkerInit, ToLearnWorker } from './learn-protocol';
import type { RefitReport } from './learner';
import type { Neighbour } from './similar';

/** A refit waits this long after the last correction (a burst of keys makes one refit). */
export const JUDGEMENT_DEBOUNCE_MS = 1500;
/** ...and this long after the last newly tagged track (a folder being tagged refits now and then). */
export const EMBEDDING_DEBOUNCE_MS = 30_000;

/** What the service tells the library. */
export interface LearningHooks {
  /** The status changed (a refit started or ended). */
  readonly onStatus: (status: LearningStatus) => void;
  /** Tracks whose learned scores changed (an empty list: too many to name, refresh everything). */
  readonly onTracksChanged: (ids: readonly number[]) => void;
  readonly log: (line: string) => void;
}

interface Pending {
  readonly resolve: (value: never) => void;
  readonly reject: (error: Error) => void;
}

/** Above this many changed tracks a refit says "everything may have changed" instead of listing them. */
const MAX_NAMED_CHANGES = 2000;

export class LearningService {
  private worker: Worker | null = null;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private timer: NodeJS.Timeout | undefined;
  private timerDue = 0;
  private refitting: string | null = null;
  private refitRunning = false;
  private refitAgain = false;
  private waiters: Array<(report: RefitReport) => void> = [];
  private last: RefitReport | null = null;
  private lastAt: string | null = null;
  private error: string | null = null;
  private closed = false;

  constructor(
    private readonly dataDir: string,
    private readonly hooks: LearningHooks,
  ) {}

  /** Where learning stands. */
  status(): LearningStatus {
    const r = this.last;
    return {
      state: this.refitRunning ? 'refitting' : this.timer ? 'waiting' : 'idle',
      currentTag: this.refitting,
      space: r?.space ?? null,
      embeddings: r?.embeddings ?? null,
      lastRefit: r && this.lastAt ? { at: this.lastAt, added: r.added, removed: r.removed, fitted: r.fitted, learned: r.learned, durationMs: r.durationMs } : null,
      problem: this.error ?? r?.problem ?? null,
    };
  }

  /** Corrections changed: refit once they settle. */
  judgementsChanged(): void {
    this.schedule(JUDGEMENT_DEBOUNCE_MS);
  }

  /** New embeddings arrived (tracks tagged): score them, and refit what they change, in a while. */
  embeddingsChanged(): void {
    this.schedule(EMBEDDING_DEBOUNCE_MS);
  }

  /** Refits now; resolves with the report of a refit that started after this call. */
  refitNow(): Promise<RefitReport> {
    clearTimeout(this.timer);
    this.timer = undefined;
    const done = new Promise<RefitReport>((resolve) => this.waiters.push(resolve));
    this.startRefit();
    return done;
  }

  /** The tracks most like a track of the library, or like an embedding. */
  similar(query: { trackId?: number; embedding?: readonly number[] }, limit: number): Promise<{ space: string | null; neighbours: readonly Neighbour[] }> {
    return this.request((id) => ({ type: 'similar', id, ...query, limit }));
  }

  /** Stops the worker (a refit in flight is rolled back by SQLite: no half-written tag). */
  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.timer);
    const worker = this.worker;
    this.worker = null;
    for (const p of this.pending.values()) p.reject(new Error('learning stopped'));
    this.pending.clear();
    if (worker) await worker.terminate();
  }

  private schedule(delayMs: number): void {
    if (this.closed) return;
    const due = Date.now() + delayMs;
    // A later, longer wait never postpones a sooner refit already planned.
    if (this.timer && this.timerDue <= due && delayMs === EMBEDDING_DEBOUNCE_MS) return;
    clearTimeout(this.timer);
    this.timerDue = due;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.startRefit();
    }, delayMs);
    this.timer.unref?.();
  }

  private startRefit(): void {
    if (this.closed) return;
    if (this.refitRunning) {
      this.refitAgain = true;
      return;
    }
    this.refitRunning = true;
    this.refitAgain = false;
    this.hooks.onStatus(this.status());
    this.request<RefitReport>((id) => ({ type: 'refit', id }))
      .then((report) => {
        this.last = report;
        this.lastAt = new Date().toISOString();
        this.error = null;
        this.hooks.onTracksChanged(report.changedTracks.length > MAX_NAMED_CHANGES ? [] : report.changedTracks);
        if (report.fitted > 0) {
          this.hooks.log(`learned tags: ${report.fitted} refitted in ${report.durationMs} ms; ${report.added} suggestion(s) added, ${report.removed} removed`);
        }
        const waiters = this.waiters;
        this.waiters = [];
        for (const w of waiters) w(report);
      })
      .catch((error: Error) => {
        this.error = `learning failed: ${error.message}`;
        this.hooks.log(this.error);
      })
      .finally(() => {
        this.refitRunning = false;
        this.refitting = null;
        if (this.refitAgain && !this.closed) this.startRefit();
        else this.hooks.onStatus(this.status());
      });
  }

  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    const init: LearnWorkerInit = { dataDir: this.dataDir };
    const worker = startWorkerThread(import.meta.url, 'learn-worker.ts', 'learn-worker', { workerData: init });
    worker.unref();
    worker.on('message', (m: FromLearnWorker) => this.onMessage(m));
    const fail = (message: string): void => {
      if (this.worker !== worker) return;
      this.worker = null;
      for (const p of this.pending.values()) p.reject(new Error(message));
      this.pending.clear();
    };
    worker.on('error', (error) => fail(`the learning worker crashed: ${error.message}`));
    worker.on('exit', (code) => fail(`the learning worker exited (code ${code})`));
    this.worker = worker;
    return worker;
  }

  private request<T>(make: (id: number) => ToLearnWorker): Promise<T> {
    if (this.closed) return Promise.reject(new Error('learning stopped'));
    const id = this.nextId++;
    const promise = new Promise<T>((resolve, reject) => this.pending.set(id, { resolve: resolve as (v: never) => void, reject }));
    this.ensureWorker().postMessage(make(id));
    return promise;
  }

  private settle(id: number): Pending | undefined {
    const p = this.pending.get(id);
    this.pending.delete(id);
    return p;
  }

  private onMessage(m: FromLearnWorker): void {
    switch (m.type) {
      case 'refitting':
        this.refitting = m.tag;
        return;
      case 'refitted':
        this.settle(m.id)?.resolve(m.report as never);
        return;
      case 'similar':
        this.settle(m.id)?.resolve({ space: m.space, neighbours: m.neighbours } as never);
        return;
      case 'failed':
        this.settle(m.id)?.reject(new Error(m.message));
        return;
    }
  }
}
