// The tagging queue's progress as last reported by the core.
import { create } from 'zustand';
import type { QueueStatus } from '../../../src-preload/contract';

export const IDLE_QUEUE: QueueStatus = { state: 'idle', done: 0, total: 0, failed: 0, tracksPerSec: 0, etaSec: null, current: [] };

export const useQueue = create<{ readonly status: QueueStatus }>(() => ({ status: IDLE_QUEUE }));

/** Stores a status from an event or a request. */
export function setQueueStatus(status: QueueStatus): void {
  useQueue.setState({ status });
}
