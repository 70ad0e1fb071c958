// Library store benchmark: seeds 100,000 synthetic tracks (no audio) and prints the latency of the
// table's queries, search, filters, the review queue, a detail view and bulk corrections; then
// scans 5,000 generated files and reports how long the event loop was held.
// Run: npx tsx bench/library-bench.ts [tracks]
import { closeSync, existsSync, ftruncateSync, mkdirSync, mkdtempSync, openSync, readdirSync, rmSync, statSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { ParsedArg } from '../src-preload/contract';
import { Library } from '../src-main/library/library';
import { sampledContentHash } from '../src-main/library/content-hash';
import { readMetadata } from '../src-main/library/metadata';
import { DATABASE_FILE, openStore } from '../src-main/library/store';
import { randomTracks, seedTracks } from '../test-support/synthetic-library';
import { SHARED_AUDIO } from '../test-support/fixtures';

const count = Number(process.argv[2] ?? 100_000);
const dataDir = mkdtempSync(join(tmpdir(), 'eno-library-bench-'));

function ms(start: number): string {
  return `${(performance.now() - start).toFixed(1)} ms`;
}

/** Median and worst of `runs` timings of fn (after one warm-up run). */
function time<T>(fn: () => T, runs = 7): { median: number; max: number; result: T } {
  let result = fn();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    result = fn();
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  return { median: times[Math.floor(times.length / 2)]!, max: times[times.length - 1]!, result };
}

try {
  let t = performance.now();
  const tracks = randomTracks(count, 42);
  const db = openStore(dataDir);
  for (let i = 0; i < tracks.length; i += 10_000) seedTracks(db, tracks.slice(i, i + 10_000));
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
  const sizeMb = statSync(join(dataDir, DATABASE_FILE)).size / 1e6;
  console.log(`seeded ${count} tracks in ${ms(t)}; database ${sizeMb.toFixed(1)} MB`);

  t = performance.now();
  const library = await Library.open({ dataDir, engine: null, watch: false, runQueue: false, onEvent: () => {} });
  console.log(`opened in ${ms(t)}\n`);

  const base: ParsedArg<'queryTracks'> = {
    search: '',
    statuses: [],
    tag: null,
    minConfidence: 0,
    sort: 'added',
    descending: false, toReview: false,
    offset: 0,
    limit: 100,
  };
  const cases: Array<[string, Partial<ParsedArg<'queryTracks'>>]> = [
    ['first page, added order', {}],
    ['page 500 (offset 50,000), added order', { offset: 50_000 }],
    ['sort by title', { sort: 'title' }],
    ['sort by title, descending, offset 90,000', { sort: 'title', descending: true, toReview: false, offset: 90_000 }],
    ['sort by artist (missing last)', { sort: 'artist' }],
    ['sort by album', { sort: 'album' }],
    ['sort by duration, descending', { sort: 'duration', descending: true, toReview: false }],
    ['sort by status', { sort: 'status' }],
    ['sort by uncertainty', { sort: 'uncertainty' }],
    ['search "river" (trigram)', { search: 'river' }],
    ['search "glass echo" sorted by title', { search: 'glass echo', sort: 'title' }],
    ['search "007" (path substring)', { search: '007' }],
    ['search "ri" (2 letters: LIKE scan)', { search: 'ri' }],
    ['search with no match', { search: 'zzzqqq' }],
    ['status = error', { statuses: ['error'] }],
    ['status = reviewed or untagged, by title', { statuses: ['reviewed', 'untagged'], sort: 'title' }],
    ['tag "jazz"', { tag: 'jazz' }],
    ['tag "jazz" >= 0.8, by artist', { tag: 'jazz', minConfidence: 0.8, sort: 'artist' }],
    ['tag "Mellow" + search "river" + tagged', { tag: 'mellow', search: 'river', statuses: ['tagged'] }],
  ];
  console.log('queryTracks (100 rows + total), median / worst of 7:');
  for (const [name, q] of cases) {
    const r = time(() => library.queryTracks({ ...base, ...q }));
    console.log(`  ${name.padEnd(48)} ${r.median.toFixed(1).padStart(7)} / ${r.max.toFixed(1).padStart(7)} ms  (${r.result.total} match)`);
  }
  const all = time(() => library.trackIds({ ...base, sort: 'title' }), 3);
  console.log(`\ntrackIds, all ${all.result.length} by title: ${all.median.toFixed(1)} ms`);
  const review = time(() => library.reviewQueue({ limit: 1000 }));
  console.log(`reviewQueue(1000): ${review.median.toFixed(1)} ms`);
  const detail = time(() => library.getTrack({ id: Math.ceil(count / 2) }));
  console.log(`getTrack: ${detail.median.toFixed(1)} ms`);

  const ids = library.trackIds({ ...base, statuses: ['tagged'] });
  for (const n of [1, 100, 10_000]) {
    t = performance.now();
    library.label({ trackIds: ids.slice(0, n), action: 'add', tag: 'shoegaze' });
    const labelMs = performance.now() - t;
    t = performance.now();
    library.undo();
    console.log(`label ${String(n).padStart(6)} tracks: ${labelMs.toFixed(1)} ms; undo: ${ms(t)}`);
  }
  t = performance.now();
  library.setReviewed({ trackIds: ids.slice(0, 10_000), reviewed: true });
  console.log(`setReviewed 10,000 tracks: ${ms(t)}`);
  await library.close();
  await scanBench();
} finally {
  rmSync(dataDir, { recursive: true, force: true });
}

/** Scans 5,000 files (sparse, 256 kB each, distinct heads) into a fresh library, then rescans. */
async function scanBench(): Promise<void> {
  const files = 5000;
  const music = join(dataDir, 'music');
  const data = join(dataDir, 'scan-data');
  mkdirSync(data);
  for (let i = 0; i < files; i++) {
    const dir = join(music, `artist ${i % 100}`);
    mkdirSync(dir, { recursive: true });
    const fd = openSync(join(dir, `track ${i}.mp3`), 'w');
    writeSync(fd, Buffer.from(`file ${i} `.repeat(8)));
    ftruncateSync(fd, 256 * 1024);
    closeSync(fd);
  }
  const library = await Library.open({ dataDir: data, engine: null, onEvent: () => {} });
  for (const [name, run, what] of [
    ['scan of 5,000 new files (rows in the table, queued)', async () => void (await library.addFolder({ path: music })), 'scans'],
    ['rescan, nothing changed', async () => void library.rescan(), 'scans'],
  ] as const) {
    const delay = monitorEventLoopDelay({ resolution: 5 });
    delay.enable();
    const t = performance.now();
    await run();
    await library.settled(what);
    delay.disable();
    const loop = `event loop delay p99 ${(delay.percentile(99) / 1e6).toFixed(1)} ms, max ${(delay.max / 1e6).toFixed(1)} ms`;
    console.log(`${name}: ${ms(t)} (${loop})`);
  }
  await library.close();
  // Tags are read in the background on the main thread; what one real file costs:
  const clips = ['music', 'nonmusic'].flatMap((d) => {
    const dir = join(SHARED_AUDIO, d);
    return existsSync(dir) ? readdirSync(dir).map((f) => join(dir, f)) : [];
  });
  if (clips.length) {
    for (const f of clips) await readMetadata(f).catch(() => undefined);
    const cpu = process.cpuUsage();
    const t = performance.now();
    for (const f of clips) await readMetadata(f).catch(() => undefined);
    const used = process.cpuUsage(cpu);
    const per = (x: number): string => (x / clips.length).toFixed(2);
    console.log(`tag reading (music-metadata), per real file: ${per(performance.now() - t)} ms wall, ${per((used.user + used.system) / 1000)} ms CPU`);
    // The content hash finds the audio between the tags first (a few small reads), then samples it.
    for (const f of clips) await sampledContentHash(f).catch(() => undefined);
    const hashStart = performance.now();
    for (let round = 0; round < 10; round++) for (const f of clips) await sampledContentHash(f).catch(() => undefined);
    console.log(`content hash (audio span), per real file: ${((performance.now() - hashStart) / (10 * clips.length)).toFixed(2)} ms`);
  }
}
