// The learning worker: refits learned tags and answers "more like this" off the main thread, with
// its own connection to the library database. Refits pause between tags so a similarity question
// asked meanwhile is answered within one tag's fit, not after the whole refit.
import { parentPort, workerData } from 'node:worker_threads';
import { openStore } from '../library/store';
import type { FromLearnWorker, LearnWorkerInit, ToLearnWorker } from './learn-protocol';
import { Learner } from './learner';
import { nearest, queryOfEmbedding, queryOfTrack } from './similar';

const init = workerData as LearnWorkerInit;
const db = openStore(init.dataDir, { migrate: false });
const learner = new Learner(db);
const queue: ToLearnWorker[] = [];
let busy = false;

function send(message: FromLearnWorker): void {
  parentPort!.postMessage(message);
}

/**
 * The gap between two tags' steps: long enough that a write the main thread is waiting on (SQLite
 * retries a busy lock after 1, 2, 5, 10 ms, …) gets in before the next tag's transaction.
 */
const PAUSE_MS = 10;
const pause = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, PAUSE_MS));

function answerSimilar(m: Extract<ToLearnWorker, { type: 'similar' }>): void {
  const index = learner.currentIndex();
  if (!index) {
    send({ type: 'similar', id: m.id, space: null, neighbours: [] });
    return;
  }
  const query = m.trackId !== undefined ? queryOfTrack(index, m.trackId) : m.embedding ? queryOfEmbedding(index, m.embedding) : undefined;
  if (!query) {
    send({ type: 'failed', id: m.id, message: `the track has no embedding from ${index.space} yet (it is not tagged, or could not be read)` });
    return;
  }
  send({ type: 'similar', id: m.id, space: index.space, neighbours: nearest(index, query, m.limit, m.trackId) });
}

async function refit(id: number): Promise<void> {
  const steps = learner.refitSteps((tag) => send({ type: 'refitting', tag }));
  for (;;) {
    const step = steps.next();
    if (step.done) {
      send({ type: 'refitted', id, report: step.value });
      return;
    }
    await pause();
    // Similarity questions that arrived during the last tag's fit go first.
    for (let i = 0; i < queue.length; ) {
      const m = queue[i]!;
      if (m.type === 'similar') {
        queue.splice(i, 1);
        handleNow(m);
      } else i++;
    }
  }
}

function handleNow(m: ToLearnWorker): void {
  try {
    if (m.type === 'similar') answerSimilar(m);
  } catch (error) {
    if (m.type !== 'close') send({ type: 'failed', id: m.id, message: error instanceof Error ? error.message : String(error) });
  }
}

async function drain(): Promise<void> {
  if (busy) return;
  busy = true;
  while (queue.length) {
    const m = queue.shift()!;
    if (m.type === 'close') {
      db.close();
      parentPort!.close();
      return;
    }
    if (m.type === 'refit') {
      try {
        await refit(m.id);
      } catch (error) {
        send({ type: 'failed', id: m.id, message: error instanceof Error ? error.message : String(error) });
      }
    } else handleNow(m);
  }
  busy = false;
}

parentPort!.on('message', (m: ToLearnWorker) => {
  queue.push(m);
  void drain();
});
