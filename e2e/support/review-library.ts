// A library for the review e2e tests: `eno serve` on a temporary data folder with no ClearML
// configured, the shared music clips and the labelled clips added as folders and tagged.
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { QueueStatus } from '../../src-preload/contract';
import { SHARED_AUDIO, tempDir } from '../../test-support/fixtures';
import { connect, type ApiClient } from './api-client';
import { startEnoServe, type EnoServe } from './eno-serve';

/** The shared labelled clips (beside the shared audio folder). */
export const SHARED_LABELLED = process.env.ENO_SHARED_LABELLED ?? join(dirname(SHARED_AUDIO), 'labelled');

/** A running server over the shared clips. */
export interface ReviewLibrary {
  readonly serve: EnoServe;
  readonly api: ApiClient;
  readonly dir: string;
  /** How many tracks the folders hold. */
  readonly tracks: number;
  close(): Promise<void>;
}

/** Waits until the queue is idle with `done` tracks tagged. */
export async function waitTagged(api: ApiClient, done: number, timeoutMs = 300_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const s = await api.call<QueueStatus>('queueStatus');
    if (s.state === 'idle' && s.done >= done) return;
    if (Date.now() > deadline) throw new Error(`tagging did not finish: ${JSON.stringify(s)}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** Starts the server, adds the music clips and the labelled clips, and waits for their tags. */
export async function openReviewLibrary(prefix: string): Promise<ReviewLibrary> {
  const tmp = tempDir(prefix);
  const home = join(tmp.dir, 'home');
  mkdirSync(home);
  // No ClearML anywhere: no configuration file, no keys in the environment.
  const clearmlUnset = Object.fromEntries(Object.keys(process.env).filter((k) => k.startsWith('CLEARML_')).map((k) => [k, '']));
  const serve = await startEnoServe(join(tmp.dir, 'data'), [], { ...clearmlUnset, HOME: home, CLEARML_CONFIG_FILE: join(tmp.dir, 'none.conf') });
  const api = await connect(serve.url);
  await api.call('addFolder', { path: join(SHARED_AUDIO, 'music') });
  await api.call('addFolder', { path: SHARED_LABELLED });
  let tracks = 0;
  for (let i = 0; i < 600 && tracks === 0; i++) {
    const folders = await api.call<Array<{ tracks: number; scanning: boolean }>>('listFolders');
    if (folders.every((f) => !f.scanning)) tracks = folders.reduce((n, f) => n + f.tracks, 0);
    else await new Promise((r) => setTimeout(r, 100));
  }
  await waitTagged(api, tracks);
  return {
    serve,
    api,
    dir: tmp.dir,
    tracks,
    close: async () => {
      await serve.stop();
      tmp.cleanup();
    },
  };
}
