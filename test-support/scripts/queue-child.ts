// Child process of library-crash.test.ts: tags a folder one track at a time and prints each
// progress event as a JSON line, until the test kills it.
import { TaggingEngine } from '../../src-main/inference/engine';
import { DEFAULT_MODEL_DIR } from '../fixtures';
import { Library } from '../../src-main/library/library';

const [dataDir, folder] = process.argv.slice(2) as [string, string];
setTimeout(() => process.exit(3), 120_000).unref();
const engine = await TaggingEngine.open({ modelDir: DEFAULT_MODEL_DIR, ep: 'cpu' });
const library = await Library.open({
  dataDir,
  engine,
  concurrency: 1,
  watch: false,
  onEvent: (event, payload) => {
    if (event === 'queue') process.stdout.write(`${JSON.stringify(payload)}\n`);
  },
});
await library.addFolder({ path: folder });
