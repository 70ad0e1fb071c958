// Tag-writing benchmark: 1,000 copies of a shared clip in a library, written in one batch (each
// file through a verified copy: ffmpeg checksums before and after, a read-back, an atomic rename),
// then the batch undone. Prints files per second, the peak memory of this process, and how long
// the event loop was held.
// Run: npm run bench:write [copies] [clip under ../shared/audio]
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { FileTagService } from '../src-main/file-tags/file-tag-service';
import { Library } from '../src-main/library/library';
import { sharedClip } from '../test-support/fixtures';
import { fakeOutcome } from '../test-support/tagged-files';

const copies = Number(process.argv[2] ?? 1000);
const clip = process.argv[3] ?? 'music/bensound-cute.mp3';
const root = mkdtempSync(join(tmpdir(), 'eno-write-bench-'));

let peakRss = 0;
const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 50);
const mb = (bytes: number): string => `${(bytes / 1e6).toFixed(0)} MB`;

async function timed(name: string, service: FileTagService, run: () => void): Promise<void> {
  const delay = monitorEventLoopDelay({ resolution: 5 });
  delay.enable();
  peakRss = process.memoryUsage().rss;
  const t = performance.now();
  run();
  await service.idle();
  const sec = (performance.now() - t) / 1000;
  delay.disable();
  const s = service.status();
  console.log(
    `${name}: ${s.done} files in ${sec.toFixed(1)} s = ${(s.done / sec).toFixed(1)} files/s; written ${s.written}, failed ${s.failed}; ` +
      `peak RSS ${mb(peakRss)}; event loop p99 ${(delay.percentile(99) / 1e6).toFixed(1)} ms, max ${(delay.max / 1e6).toFixed(1)} ms`,
  );
  if (s.failed) console.log(`  failures: ${JSON.stringify(s.errors.slice(0, 3))}`);
}

try {
  const music = join(root, 'music');
  const data = join(root, 'data');
  mkdirSync(music);
  mkdirSync(data);
  for (let i = 0; i < copies; i++) {
    const path = join(music, `copy ${String(i).padStart(4, '0')}.${clip.split('.').pop()}`);
    copyFileSync(sharedClip(clip), path);
    chmodSync(path, 0o644);
  }
  const library = await Library.open({ dataDir: data, engine: null, watch: false, runQueue: false, onEvent: () => {} });
  const t = performance.now();
  await library.addFolder({ path: music });
  await library.settled();
  console.log(`${copies} copies of ${clip} scanned in ${((performance.now() - t) / 1000).toFixed(1)} s`);
  const first = join(music, `copy 0000.${clip.split('.').pop()}`);
  await library.importOutcome(
    first,
    fakeOutcome(first, [
      { name: 'post-rock', category: 'genre', score: 0.9 },
      { name: 'rock', category: 'genre', score: 0.6 },
      { name: 'melancholic', category: 'descriptor', score: 0.8 },
    ]),
  );
  await library.close();

  const service = FileTagService.open({ dataDir: data, emit: () => undefined });
  const concurrency = Number(process.env.ENO_WRITE_CONCURRENCY ?? 0) || undefined;
  await service.close();
  const bench = FileTagService.open({ dataDir: data, emit: () => undefined, concurrency });
  await timed('write genre and mood', bench, () => bench.start({ kind: 'library' }, 'bench'));
  const batchId = bench.history()[0]!.id;
  await timed('undo the batch', bench, () => bench.undo({ batchId }));
  await bench.close();
} finally {
  clearInterval(sampler);
  rmSync(root, { recursive: true, force: true });
}
