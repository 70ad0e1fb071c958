// Child process of library-unreadable.test.ts, run as an unprivileged user: adds a folder and a
// dropped path to a library and prints what the library reports, one JSON object per line.
import { Library } from '../../src-main/library/library';
import { query } from '../library-harness';

const [dataDir, folder, dropped] = process.argv.slice(2) as [string, string, string];
const print = (kind: string, value: unknown): boolean => process.stdout.write(`${JSON.stringify({ kind, value })}\n`);
const library = await Library.open({
  dataDir,
  engine: null,
  watch: false,
  onEvent: (event, payload) => {
    if (event === 'notice') print('notice', payload);
  },
});
await library.addFolder({ path: folder });
await library.settled();
print('dropped', await library.addPaths({ paths: [dropped] }));
await library.settled();
for (const row of library.queryTracks(query({ sort: 'title' })).rows) print('row', { title: row.title, status: row.status, error: row.error });
await library.close();
