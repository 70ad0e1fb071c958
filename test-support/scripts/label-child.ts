// Child process of library-crash.test.ts: applies corrections as fast as it can and prints each
// one after the call returns (= committed), until the test kills it with SIGKILL.
import { Library } from '../../src-main/library/library';

const [dataDir] = process.argv.slice(2) as [string];
setTimeout(() => process.exit(3), 120_000).unref();
const library = await Library.open({ dataDir, engine: null, watch: false, runQueue: false, onEvent: () => {} });
const ids = library.trackIds({ search: '', statuses: [], tag: null, minConfidence: 0, sort: 'added', descending: false, toReview: false });
for (let step = 0; ; step++) {
  // Three tracks per step (a multi-select), rotating through the library.
  const trackIds = [0, 1, 2].map((k) => ids[(step * 3 + k) % ids.length]!);
  library.label({ trackIds, action: 'add', tag: `step ${step}` });
  if (step % 10 === 9) {
    library.undo();
    library.redo();
  }
  if (step % 4 === 3) library.setReviewed({ trackIds, reviewed: true });
  process.stdout.write(`${JSON.stringify({ step, trackIds })}\n`);
  // Let the output drain now and then, so the parent sees lines while this runs flat out.
  if (step % 5 === 0) await new Promise((r) => setImmediate(r));
}
