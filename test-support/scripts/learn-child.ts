// Child process of learning-crash.test.ts: adds tags to tracks and refits the learned tags in the
// learning worker, over and over, printing each correction after it is saved and each refit as it
// starts, until the test kills it with SIGKILL (mostly in the middle of a refit).
import { Library } from '../../src-main/library/library';

const [dataDir] = process.argv.slice(2) as [string];
setTimeout(() => process.exit(3), 120_000).unref();
const library = await Library.open({ dataDir, engine: null, watch: false, runQueue: false, learn: true, onEvent: () => {} });
const ids = library.trackIds({ search: '', statuses: [], tag: null, minConfidence: 0, sort: 'added', descending: false, toReview: false });
for (let step = 0; ; step++) {
  // Each step: a few more examples of one of eight tags, then a refit.
  const tag = `tag ${step % 8}`;
  const trackIds = [0, 1, 2, 3].map((k) => ids[(step * 37 + k * 8 + (step % 8)) % ids.length]!);
  library.label({ trackIds, action: 'add', tag });
  process.stdout.write(`${JSON.stringify({ step, tag, trackIds })}\n`);
  // Reviewed tracks without the tag are its negatives.
  library.setReviewed({ trackIds: [1, 2, 3].map((k) => ids[(step * 131 + k * 17 + 5) % ids.length]!), reviewed: true });
  process.stdout.write(`${JSON.stringify({ refit: step })}\n`);
  await library.learnNow();
}
