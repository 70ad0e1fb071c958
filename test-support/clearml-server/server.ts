// A ClearML-compatible server for tests: the API (envelopes, auth, API versions, the endpoints our
// client and the official SDK call for datasets and models, the status rules and the watchdog of a
// real server) and a file server, both on 127.0.0.1 random ports, with in-memory state and faults.
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApiError, isObject, type Json, type JsonObject } from './api-error';
import { resolveEndpointVersion } from './api-version';
import { TokenAuthority, type Credentials } from './auth';
import { FaultPlan } from './faults';
import { eventHandlers } from './events-api';
import { handleFileRequest } from './file-server';
import type { HandlerTable } from './handler';
import { miscHandlers } from './misc-api';
import { modelHandlers } from './models-api';
import { projectHandlers } from './projects-api';
import { queueHandlers } from './queues-api';
import { ServerState } from './state';
import { taskHandlers } from './tasks-api';
import { startWatchdog, stopNonResponsiveTasks, type WatchdogOptions } from './watchdog';

export interface TestServerOptions {
  readonly credentials?: Credentials;
  readonly tokenLifetimeSec?: number;
  /** Fixed ports and an earlier server's state: a "restart" for server-down tests. */
  readonly apiPort?: number;
  readonly filesPort?: number;
  readonly state?: ServerState;
  /** The server's newest API version (default 2.31) and release, as its tokens report them. */
  readonly apiVersion?: string;
  readonly serverVersion?: string;
  /** Runs the non-responsive tasks watchdog with this (short) threshold; off by default. */
  readonly watchdog?: WatchdogOptions;
  /** Also serve the file server at a second port, as a deployment reachable directly and through a proxy is. */
  readonly filesAlias?: boolean;
}

export interface TestServer {
  readonly apiUrl: string;
  readonly filesUrl: string;
  /** The same file server at its second address (with `filesAlias`), else null. */
  readonly filesAliasUrl: string | null;
  /** Not served; the SDK wants a web host to compose links. */
  readonly webUrl: string;
  readonly credentials: Credentials;
  readonly state: ServerState;
  readonly faults: FaultPlan;
  readonly auth: TokenAuthority;
  /** One watchdog sweep now: stops in_progress tasks silent for `thresholdMs` (default: the configured threshold, else 0). */
  stopNonResponsive(thresholdMs?: number): number;
  /** Stops both servers and drops open connections. */
  stop(): Promise<void>;
}

const HANDLERS: HandlerTable = { ...projectHandlers, ...taskHandlers, ...modelHandlers, ...miscHandlers, ...eventHandlers, ...queueHandlers };
const PATH = /^\/?(?:v(\d+\.\d+)\/)?([a-zA-Z_]\w+\.[a-zA-Z_]\w+)\/?$/;

interface Served {
  readonly requested: string;
  readonly actual: string | null;
}

function respond(res: ServerResponse, endpoint: string, version: Served, code: number, subcode: number, msg: string, data: JsonObject): void {
  const id = randomBytes(16).toString('hex');
  const envelope = {
    meta: {
      id,
      trx: id,
      endpoint: { name: endpoint, requested_version: version.requested, actual_version: version.actual },
      result_code: code,
      result_subcode: subcode,
      result_msg: msg,
      error_stack: null,
      error_data: {},
    },
    data,
  };
  const text = JSON.stringify(envelope);
  res.writeHead(code, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function parseBody(endpoint: string, raw: Buffer): JsonObject {
  const text = raw.toString('utf8').trim();
  if (!text) return {};
  try {
    if (endpoint.endsWith('_batch')) {
      // Batch endpoints take one JSON object per line.
      return { requests: text.split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l) as Json) };
    }
    const value = JSON.parse(text) as Json;
    if (!isObject(value)) throw new Error('the body must be a JSON object');
    return value;
  } catch (error) {
    throw new ApiError(400, 12, `Validation error (failed parsing request body: ${(error as Error).message})`);
  }
}

function listen(server: Server, port = 0): Promise<string> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`));
  });
}

/** Starts the API and file servers on random loopback ports. */
export async function startTestServer(options: TestServerOptions = {}): Promise<TestServer> {
  const state = options.state ?? new ServerState();
  if (options.apiVersion) state.apiVersion = options.apiVersion;
  if (options.serverVersion) state.serverVersion = options.serverVersion;
  const faults = new FaultPlan();
  const credentials = options.credentials ?? {
    accessKey: randomBytes(10).toString('hex').toUpperCase(),
    secretKey: randomBytes(24).toString('base64url'),
  };
  const auth = new TokenAuthority(credentials, options.tokenLifetimeSec ?? 3600, { apiVersion: state.apiVersion, serverVersion: state.serverVersion });

  const api = createServer((req, res) => {
    // The Date header tells the server's time, by its own clock.
    res.setHeader('date', new Date(state.nowMs()).toUTCString());
    void (async () => {
      const match = PATH.exec(new URL(req.url ?? '/', 'http://x').pathname);
      const endpoint = match?.[2] ?? 'unknown';
      let version: Served = { requested: match?.[1] ?? state.apiVersion, actual: null };
      let body: JsonObject = {};
      try {
        const raw = await readBody(req);
        const delayMs = faults.delayOf(endpoint);
        if (delayMs > 0) await new Promise((r) => setTimeout(r, delayMs));
        if (!match) throw new ApiError(400, 0, `Invalid request path ${req.url ?? ''}`);
        const injected = faults.onCall(endpoint);
        if (injected !== undefined) throw new ApiError(injected, 0, 'Server error (fault injected by the test)');
        const handler = HANDLERS[endpoint];
        if (!handler && endpoint !== 'auth.login') {
          state.unknownEndpoints.add(endpoint);
          throw new ApiError(404, 0, `Unable to find endpoint for name ${endpoint} and version ${version.requested}`);
        }
        version = resolveEndpointVersion(endpoint, match[1], state.apiVersion);
        body = parseBody(endpoint, raw);
        let data: JsonObject;
        if (endpoint === 'auth.login') {
          data = { token: auth.login(req.headers.authorization) };
        } else {
          auth.verify(req.headers.authorization);
          faults.runHooks(endpoint, state);
          data = handler!(body, { state });
        }
        state.calls.push({ endpoint, version: version.requested, body, resultCode: 200 });
        respond(res, endpoint, version, 200, 0, 'OK', data);
      } catch (error) {
        const e = error instanceof ApiError ? error : new ApiError(500, 0, `General server error (${(error as Error).message})`);
        state.calls.push({ endpoint, version: version.requested, body, resultCode: e.code });
        respond(res, endpoint, version, e.code, e.subcode, e.message, {});
      }
    })();
  });
  const files = createServer((req, res) => handleFileRequest(req, res, { state, auth, faults }));
  const alias = options.filesAlias ? createServer((req, res) => handleFileRequest(req, res, { state, auth, faults })) : null;
  const apiUrl = await listen(api, options.apiPort);
  const filesUrl = await listen(files, options.filesPort);
  const filesAliasUrl = alias ? await listen(alias) : null;
  const stopWatchdog = options.watchdog ? startWatchdog(state, options.watchdog) : () => undefined;

  return {
    apiUrl,
    filesUrl,
    filesAliasUrl,
    webUrl: apiUrl.replace(/:\d+$/, ':1'),
    credentials,
    state,
    faults,
    auth,
    stopNonResponsive: (thresholdMs) => stopNonResponsiveTasks(state, thresholdMs ?? options.watchdog?.thresholdMs ?? 0),
    async stop() {
      stopWatchdog();
      for (const server of [api, files, ...(alias ? [alias] : [])]) {
        server.closeAllConnections();
        await new Promise<void>((resolve) => server.close(() => resolve()));
      }
    },
  };
}
