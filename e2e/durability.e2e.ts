// "Nothing lost": corrections are written in a steady stream while the server is killed with
// SIGKILL at an arbitrary moment; after a restart every correction the server had confirmed is
// there. Repeated a few times at different moments.
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { QueueStatus, TrackDetail, TrackPage } from '../src-preload/contract';
import { SHARED_AUDIO, tempDir } from '../test-support/fixtures';
import { connect, type ApiClient } from './support/api-client';
import { startEnoServe, type EnoServe } from './support/eno-serve';

const tmp = tempDir('eno-durable-');
const dataDir = join(tmp.dir, 'data');
let serve: EnoServe | undefined;
afterAll(async () => {
  await serve?.stop();
  tmp.cleanup();
});

async function waitIdle(api: ApiClient): Promise<void> {
  for (let i = 0; i < 600; i++) {
    const s = await api.call<QueueStatus>('queueStatus');
    if (s.state === 'idle' && s.total > 0) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error('queue did not finish');
}

describe('durability of corrections', () => {
  it('loses no confirmed correction when the server is killed with SIGKILL mid-stream', async () => {
    serve = await startEnoServe(dataDir);
    let api = await connect(serve.url);
    await api.call('addFolder', { path: join(SHARED_AUDIO, 'nonmusic') });
    await waitIdle(api);
    const ids = (await api.call<TrackPage>('queryTracks', { offset: 0, limit: 10 })).rows.map((r) => r.id);
    expect(ids.length).toBe(4);

    const confirmed: Array<{ id: number; tag: string }> = [];
    for (const killAfterMs of [150, 700, 1300]) {
      let n = 0;
      let stop = false;
      const writer = (async () => {
        while (!stop) {
          const id = ids[n % ids.length]!;
          const tag = `k${killAfterMs}-${n++}`;
          try {
            await api.call('label', { trackIds: [id], action: 'add', tag });
            confirmed.push({ id, tag });
          } catch {
            return; // the server is gone: this one was never confirmed
          }
        }
      })();
      await new Promise((r) => setTimeout(r, killAfterMs));
      await serve.kill9();
      stop = true;
      await writer;
      serve = await startEnoServe(dataDir);
      api = await connect(serve.url);
    }
    expect(confirmed.length).toBeGreaterThan(10);
    for (const id of ids) {
      const detail = await api.call<TrackDetail>('getTrack', { id });
      const expected = confirmed.filter((c) => c.id === id).map((c) => c.tag);
      expect(detail.finalTags).toEqual(expect.arrayContaining(expected));
    }
  }, 240_000);
});
