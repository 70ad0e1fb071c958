// Runs the test server on its own, for trying the trainer or the SDK by hand:
//   npx tsx test-support/clearml-server/serve.ts [ENV_FILE]
// prints (and writes to ENV_FILE) the CLEARML_* variables that point a client at it; Ctrl-C stops it.
import { writeFileSync } from 'node:fs';
import { startTestServer } from './server';

const server = await startTestServer();
const env = [
  `CLEARML_API_HOST=${server.apiUrl}`,
  `CLEARML_WEB_HOST=${server.webUrl}`,
  `CLEARML_FILES_HOST=${server.filesUrl}`,
  `CLEARML_API_ACCESS_KEY=${server.credentials.accessKey}`,
  `CLEARML_API_SECRET_KEY=${server.credentials.secretKey}`,
].join('\n');
if (process.argv[2]) writeFileSync(process.argv[2], `${env}\n`);
process.stdout.write(`${env}\n`);
// Endpoints a client called that the server does not implement, as they happen.
const reported = new Set<string>();
setInterval(() => {
  for (const name of server.state.unknownEndpoints) {
    if (!reported.has(name)) process.stderr.write(`unknown endpoint called: ${name}\n`);
    reported.add(name);
  }
}, 500);
process.on('SIGINT', () => void server.stop().then(() => process.exit(0)));
