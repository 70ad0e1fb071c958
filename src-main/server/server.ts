// Browser mode: the same core behind the same contract, over HTTP (requests) and WebSocket (events),
// serving the built renderer. Loopback only unless the user binds elsewhere explicitly.
import { createReadStream, createWriteStream, promises as fs } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { basename, extname, join, resolve, sep } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { randomBytes } from 'node:crypto';
import { WebSocketServer, type WebSocket } from 'ws';
import type { EventName, EventPayloads } from '../../src-preload/contract';
import type { CoreHost } from '../core/core-host';
import { dispatch } from '../core/dispatch';
import { isAudioFileName } from '../library/scan';
import { planMediaReply } from '../media/range';
import { cookie, hostAllowed, namesOfBind, newToken, originAllowed, tokenCookie, tokenMatches } from './security';

export interface ServerOptions {
  readonly core: CoreHost;
  /** The built renderer (index.html and assets). */
  readonly rendererDir: string;
  readonly host?: string;
  readonly port?: number;
  readonly token?: string;
}

export interface RunningServer {
  /** The URL to open, with the access token. */
  readonly url: string;
  readonly port: number;
  readonly token: string;
  close(): Promise<void>;
}

const MAX_REQUEST_BYTES = 4 * 1024 * 1024;
const MAX_IMPORT_BYTES = 4 * 1024 * 1024 * 1024;

const STATIC_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
};

const SECURITY_HEADERS = {
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'X-Frame-Options': 'DENY',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
};

function contentSecurityPolicy(host: string): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "media-src 'self'",
    `connect-src 'self' ws://${host}`,
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

function send(res: ServerResponse, status: number, body: string, type = 'text/plain; charset=utf-8'): void {
  res.writeHead(status, { ...SECURITY_HEADERS, 'Content-Type': type, 'Cache-Control': 'no-store' });
  res.end(body);
}

function sendJson(res: ServerResponse, status: number, value: unknown): void {
  send(res, status, JSON.stringify(value), 'application/json');
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_REQUEST_BYTES) throw new Error('request too large');
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** Starts the server; resolves once it listens. */
export async function startServer(options: ServerOptions): Promise<RunningServer> {
  const { core } = options;
  const token = options.token ?? newToken();
  const bindHost = options.host ?? '127.0.0.1';
  const extraHosts = bindHost === '127.0.0.1' || bindHost === 'localhost' ? new Set<string>() : namesOfBind(bindHost);
  let cookieName = '';
  const rendererDir = resolve(options.rendererDir);
  const sockets = new Set<WebSocket>();

  const authorised = (req: IncomingMessage): boolean => tokenMatches(token, cookie(req, cookieName));

  const serveStatic = async (res: ServerResponse, urlPath: string, host: string): Promise<void> => {
    const rel = decodeURIComponent(urlPath === '/' ? '/index.html' : urlPath);
    const file = resolve(rendererDir, `.${rel}`);
    if (file !== rendererDir && !file.startsWith(rendererDir + sep)) return send(res, 404, 'not found');
    let data: Buffer;
    try {
      data = await fs.readFile(file);
    } catch {
      return send(res, 404, 'not found');
    }
    const headers: Record<string, string> = {
      ...SECURITY_HEADERS,
      'Content-Type': STATIC_TYPES[extname(file)] ?? 'application/octet-stream',
      'Cache-Control': file.endsWith('.html') ? 'no-store' : 'private, max-age=3600',
    };
    if (file.endsWith('.html')) headers['Content-Security-Policy'] = contentSecurityPolicy(host);
    res.writeHead(200, headers);
    res.end(data);
  };

  const serveMedia = async (req: IncomingMessage, res: ServerResponse, trackId: number): Promise<void> => {
    const file = core.mediaFile(trackId);
    const reply = await planMediaReply(file, req.headers.range);
    if (reply.message || !file) return send(res, reply.status, reply.message ?? 'not found');
    res.writeHead(reply.status, { ...SECURITY_HEADERS, ...reply.headers, 'Cache-Control': 'no-store' });
    if (req.method === 'HEAD' || !reply.range) return void res.end();
    await pipeline(createReadStream(file, reply.range), res).catch(() => undefined);
  };

  /** A track's embedded cover: 204 when it has none, so the page shows no broken image and logs no error. */
  const serveCover = async (res: ServerResponse, trackId: number): Promise<void> => {
    if (core.mediaFile(trackId) === null) return send(res, 404, 'no such track in the library');
    const cover = (await core.coverArt?.(trackId)) ?? null;
    if (!cover) {
      res.writeHead(204, { ...SECURITY_HEADERS, 'Cache-Control': 'no-store' });
      return void res.end();
    }
    res.writeHead(200, { ...SECURITY_HEADERS, 'Content-Type': cover.mime, 'Content-Length': String(cover.data.length), 'Cache-Control': 'private, max-age=300' });
    res.end(cover.data);
  };

  const importFile = async (req: IncomingMessage, res: ServerResponse, name: string): Promise<void> => {
    const safe = basename(name).replace(/[^\p{L}\p{N} ._()'-]/gu, '_').slice(0, 200) || 'track';
    if (!isAudioFileName(safe)) return sendJson(res, 400, { ok: false, error: { code: 'invalid-argument', message: `${safe}: not an audio file name` } });
    const length = Number(req.headers['content-length'] ?? NaN);
    if (length > MAX_IMPORT_BYTES) return sendJson(res, 413, { ok: false, error: { code: 'invalid-argument', message: `${safe}: larger than 4 GB` } });
    await fs.mkdir(core.importDir, { recursive: true });
    const target = join(core.importDir, `${randomBytes(4).toString('hex')}-${safe}`);
    try {
      await pipeline(req, createWriteStream(target, { flags: 'wx' }));
    } catch (error) {
      await fs.rm(target, { force: true });
      return sendJson(res, 500, { ok: false, error: { code: 'failed', message: `${safe}: upload failed (${(error as Error).message})` } });
    }
    const value = await core.addDropped([target]);
    sendJson(res, 200, { ok: true, value });
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    if (!hostAllowed(req, extraHosts)) return send(res, 421, 'eno serves only the host it was started for');
    const host = req.headers.host ?? '';
    const url = new URL(req.url ?? '/', `http://${host}`);
    if (req.method === 'GET' && url.pathname === '/' && url.searchParams.has('token')) {
      if (!tokenMatches(token, url.searchParams.get('token'))) return send(res, 401, 'wrong access token');
      // Trade the token in the URL for a cookie, and drop it from the address bar.
      res.writeHead(303, {
        ...SECURITY_HEADERS,
        Location: '/',
        'Set-Cookie': `${cookieName}=${token}; HttpOnly; SameSite=Strict; Path=/`,
      });
      return void res.end();
    }
    if (!authorised(req)) {
      return send(res, 401, 'Open the address that "eno serve" printed: it carries the access token for this run.');
    }
    if (url.pathname.startsWith('/api/')) {
      if (!originAllowed(req)) return send(res, 403, 'cross-origin requests are refused');
      const request = /^\/api\/request\/([A-Za-z]+)$/.exec(url.pathname);
      if (request && req.method === 'POST') {
        let arg: unknown;
        try {
          const body = await readBody(req);
          arg = body ? (JSON.parse(body) as { arg?: unknown }).arg : undefined;
        } catch (error) {
          return sendJson(res, 400, { ok: false, error: { code: 'invalid-argument', message: (error as Error).message } });
        }
        return sendJson(res, 200, await dispatch(core.handlers, request[1]!, arg, (m) => core.log(m)));
      }
      if (url.pathname === '/api/import' && req.method === 'PUT') return importFile(req, res, url.searchParams.get('name') ?? '');
      return send(res, 404, 'not found');
    }
    const media = /^\/media\/track\/(\d+)$/.exec(url.pathname);
    if (media && (req.method === 'GET' || req.method === 'HEAD')) return serveMedia(req, res, Number(media[1]));
    const cover = /^\/media\/cover\/(\d+)$/.exec(url.pathname);
    if (cover && req.method === 'GET') return serveCover(res, Number(cover[1]));
    if (req.method === 'GET') return serveStatic(res, url.pathname, host);
    return send(res, 405, 'method not allowed');
  };

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      core.log(`server: ${req.method} ${req.url} failed: ${(error as Error).stack ?? String(error)}`);
      if (!res.headersSent) send(res, 500, 'internal error');
      else res.destroy();
    });
  });

  const wss = new WebSocketServer({ noServer: true, maxPayload: 64 * 1024 });
  server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', 'http://x');
    if (url.pathname !== '/api/events' || !hostAllowed(req, extraHosts) || !originAllowed(req) || !authorised(req)) {
      socket.write('HTTP/1.1 403 Forbidden\r\nConnection: close\r\n\r\n');
      socket.destroy();
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      sockets.add(ws);
      ws.on('close', () => sockets.delete(ws));
      ws.on('error', () => sockets.delete(ws));
    });
  });

  const unsubscribe = core.subscribe(<E extends EventName>(event: E, payload: EventPayloads[E]) => {
    const text = JSON.stringify({ event, payload });
    for (const ws of sockets) if (ws.readyState === ws.OPEN) ws.send(text);
  });

  await new Promise<void>((resolveListen, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, bindHost, () => resolveListen());
  });
  const port = (server.address() as AddressInfo).port;
  cookieName = tokenCookie(port);
  const shownHost = bindHost === '127.0.0.1' ? '127.0.0.1' : bindHost;
  return {
    url: `http://${shownHost}:${port}/?token=${token}`,
    port,
    token,
    close: async () => {
      unsubscribe();
      for (const ws of sockets) ws.terminate();
      wss.close();
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}
