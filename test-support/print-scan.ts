// Prints expandPaths(argv) as JSON lines; run by tests as an unprivileged user.
import { expandPaths } from '../src-main/library/scan';

for await (const entry of expandPaths(process.argv.slice(2))) process.stdout.write(`${JSON.stringify(entry)}\n`);
