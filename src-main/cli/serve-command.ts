// `eno serve`: browser mode. Runs the core behind the contract over HTTP + WebSocket on 127.0.0.1
// and prints the URL (with this run's access token) to open in a browser.
import { parseArgs } from 'node:util';
import { AppCore } from '../core/app-core';
import { fileLogger } from '../core/logger';
import { builtRendererDir } from '../core/renderer-dir';
import { ensureDataDir } from '../library/data-dir';
import { startServer } from '../server/server';
import type { CliIo } from './io';
import { appVersion } from './version';

export const SERVE_USAGE = `usage: eno serve [options]

Runs eno in your browser: the library, the tagging queue and the review screens, served on this
machine only. Open the printed address (it carries a per-run access token). From another machine,
tunnel to it: ssh -L 8765:127.0.0.1:<port> <this host>, then open the address with port 8765.

options:
  --port N          port to listen on (default: any free port)
  --data-dir DIR    library folder (default: $ENO_DATA_DIR, else ~/.local/share/eno)
  --model DIR       model bundle folder (default: the bundled musicnn-msd model)
  --ep EP           execution provider: auto, cpu or cuda (default auto)
  --host ADDRESS    listen on another address than 127.0.0.1 (anyone who can reach it and has
                    the token can use eno: only on networks you trust)
  -h, --help        show this help`;

/** Runs `eno serve` until SIGINT/SIGTERM; returns the exit status. */
export async function runServe(args: readonly string[], io: CliIo): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...args],
      options: {
        port: { type: 'string' },
        'data-dir': { type: 'string' },
        model: { type: 'string' },
        ep: { type: 'string' },
        host: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (error) {
    io.stderr(`eno serve: ${(error as Error).message}\n\n${SERVE_USAGE}\n`);
    return 2;
  }
  if (values.help) {
    io.stdout(`${SERVE_USAGE}\n`);
    return 0;
  }
  const port = values.port === undefined ? 0 : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    io.stderr(`eno serve: --port must be a port number, got "${values.port}"\n`);
    return 2;
  }
  const ep = values.ep ?? 'auto';
  if (ep !== 'auto' && ep !== 'cpu' && ep !== 'cuda') {
    io.stderr(`eno serve: --ep must be auto, cpu or cuda, got "${ep}"\n`);
    return 2;
  }
  const rendererDir = builtRendererDir();
  if (!rendererDir) {
    io.stderr('eno serve: the window\'s files are not built yet; run "npm run build" first (npm start does it for you)\n');
    return 1;
  }
  if (values.host) io.stderr(`eno: warning: listening on ${values.host}, not only on this machine\n`);
  const dataDir = ensureDataDir({ explicit: values['data-dir'] });
  const log = fileLogger(dataDir, (line) => io.stderr(`eno: ${line}`));
  let core: AppCore;
  try {
    core = await AppCore.open({ dataDir, transport: 'browser', appVersion: appVersion(), modelDir: values.model, ep, log });
  } catch (error) {
    io.stderr(`eno serve: ${(error as Error).message}\n`);
    return 1;
  }
  let server;
  try {
    server = await startServer({ core, rendererDir, port, host: values.host });
  } catch (error) {
    await core.close();
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'EADDRINUSE' ? `port ${port} is in use; choose another with --port` : code === 'EADDRNOTAVAIL' ? `${values.host} is not an address of this machine` : (error as Error).message;
    io.stderr(`eno serve: ${why}\n`);
    return 1;
  }
  io.stdout(`eno: browser mode at ${server.url}\n`);
  io.stdout(`eno: library in ${dataDir}; press Ctrl-C to stop\n`);
  await new Promise<void>((resolve) => {
    const stop = (): void => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  io.stderr('eno: stopping (unfinished tagging resumes next time)\n');
  await server.close();
  await core.close();
  return 0;
}
