// The server's non-responsive tasks watchdog (apiserver/bll/task/non_responsive_tasks_watchdog.py):
// every watch interval, each in_progress task whose last_update is older than the threshold (2 hours
// on a real server) is set to stopped, "Forced stop (non-responsive)". Here both times are short and
// set by the test, and a sweep can also be run on demand.
import type { ServerState } from './state';

export interface WatchdogOptions {
  /** A running task silent for longer than this is stopped. */
  readonly thresholdMs: number;
  /** How often the watchdog looks; default a tenth of the threshold. */
  readonly intervalMs?: number;
}

const REASON = 'Forced stop (non-responsive)';

/** Stops every in_progress task not updated for `thresholdMs`; returns how many it stopped. */
export function stopNonResponsiveTasks(state: ServerState, thresholdMs: number): number {
  const cutoff = state.nowMs() - thresholdMs;
  let stopped = 0;
  for (const task of state.tasks.values()) {
    if (task.status !== 'in_progress' || Date.parse(String(task.last_update)) > cutoff) continue;
    const now = state.now();
    Object.assign(task, { status: 'stopped', status_reason: REASON, status_message: REASON, status_changed: now, last_update: now, last_change: now });
    stopped += 1;
  }
  return stopped;
}

/** Runs the watchdog until the returned function is called. */
export function startWatchdog(state: ServerState, options: WatchdogOptions): () => void {
  const timer = setInterval(() => stopNonResponsiveTasks(state, options.thresholdMs), options.intervalMs ?? Math.max(10, options.thresholdMs / 10));
  timer.unref();
  return () => clearInterval(timer);
}
