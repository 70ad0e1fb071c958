// The browser-mode server's HTTP surface: token, Host and Origin checks, contract requests, media
// ranges, uploads and events, against a core stand-in.
import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { AddPathsResult, EventName, EventPayloads } from '../../src-preload/contract';
import type { CoreHost, EventListener } from '../core/core-host';
import type { Handlers } from '../core/dispatch';
import { sharedClip, tempDir } from '../../test-support/fixtures';
import { startServer, type RunningServer } from './server';

const tmp = tempDir();
const rendererDir = join(tmp.dir, 'renderer');
mkdirSync(join(rendererDir, 'assets'), { recursive: true });
writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>eno</title>');
writeFileSync(join(rendererDir, 'assets', 'app.js'), 'console.log(1)');
writeFileSync(join(tmp.dir, 'secret.txt'), 'not for you');

const clip = sharedClip('music/bensound-cute.mp3');
const listeners = new Set<EventListener>();
const dropped: string[][] = [];
const core: CoreHost = {
  handlers: {
    history: () => ({ canUndo: false, canRedo: false, undoLabel: null, redoLabel: null }),
    getTrack: ({ id }: { id: number }) => {
      throw Object.assign(new Error(`track ${id} exploded`));
    },
  } as unknown as Handlers,
  mediaFile: (id) => (id === 7 || id === 11 ? clip : null),
  coverArt: async (id) => (id === 7 ? { mime: 'image/png', data: Uint8Array.of(137, 80, 78, 71) } : null),
  importDir: join(tmp.dir, 'imported'),
  addDropped: async (paths): Promise<AddPathsResult> => {
    dropped.push([...paths]);
    return { files: paths.length, queued: paths.length, errors: [] };
  },
  subscribe: (listener) => {
    listeners.add(listener);
    return () => listeners.delete(listener);
  },
  log: () => undefined,
};

let server: RunningServer;
let cookieHeader: string;
beforeAll(async () => {
  server = await startServer({ core, rendererDir });
});
afterAll(async () => {
  await server.close();
  tmp.cleanup();
});

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

/** A raw request, so Host and Origin can be anything a browser or an attacker might send. */
function raw(method: string, path: string, headers: Record<string, string> = {}, body?: Buffer | string): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port: server.port, method, path, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    if (body !== undefined) req.write(body);
    req.end();
  });
}

const authed = (extra: Record<string, string> = {}): Record<string, string> => ({ Cookie: cookieHeader, ...extra });
const sameOrigin = (extra: Record<string, string> = {}): Record<string, string> =>
  authed({ Origin: `http://127.0.0.1:${server.port}`, 'Content-Type': 'application/json', ...extra });

describe('browser-mode server on an explicit address', () => {
  it('answers the names of this machine, not others, and scopes its cookie to its port', async () => {
    const wide = await startServer({ core, rendererDir, host: '0.0.0.0' });
    try {
      const get = (host: string): Promise<number> =>
        new Promise((resolve, reject) => {
          const req = httpRequest({ host: '127.0.0.1', port: wide.port, path: `/?token=${wide.token}`, headers: { Host: host } }, (res) => {
            res.resume();
            resolve(res.statusCode ?? 0);
          });
          req.on('error', reject);
          req.end();
        });
      expect(await get(`${hostname()}:${wide.port}`)).toBe(303);
      expect(await get(`evil.example:${wide.port}`)).toBe(421);
    } finally {
      await wide.close();
    }
  });
});

describe('browser-mode server', () => {
  it('prints a loopback URL with a token and trades the token for an HttpOnly cookie', async () => {
    expect(server.url).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:${server.port}/\\?token=[\\w-]{20,}$`));
    expect((await raw('GET', '/')).status).toBe(401);
    expect((await raw('GET', '/?token=wrong')).status).toBe(401);
    const login = await raw('GET', `/?token=${server.token}`);
    expect(login.status).toBe(303);
    expect(login.headers.location).toBe('/');
    const setCookie = String(login.headers['set-cookie']);
    expect(setCookie.startsWith(`eno_token_${server.port}=`)).toBe(true);
    expect(setCookie).toMatch(/HttpOnly/);
    expect(setCookie).toMatch(/SameSite=Strict/);
    cookieHeader = setCookie.split(';')[0]!;
    const page = await raw('GET', '/', authed());
    expect(page.status).toBe(200);
    expect(String(page.headers['content-security-policy'])).toMatch(/default-src 'self'/);
    expect((await raw('GET', '/assets/app.js', authed())).body.toString()).toBe('console.log(1)');
  });

  it('refuses foreign Host headers (DNS rebinding) and paths outside the renderer', async () => {
    expect((await raw('GET', '/', authed({ Host: 'evil.example:80' }))).status).toBe(421);
    expect((await raw('GET', '/', authed({ Host: `localhost:${server.port}` }))).status).toBe(200);
    // Encoded slashes survive URL parsing and reach the containment check.
    for (const path of ['/..%2fsecret.txt', '/%2e%2e%2fsecret.txt', '/assets/..%2f..%2fsecret.txt', '/..%5csecret.txt']) {
      const reply = await raw('GET', path, authed());
      expect(reply.status, path).toBe(404);
      expect(reply.body.toString()).not.toContain('not for you');
    }
  });

  it('answers contract requests only from the same origin, validating arguments', async () => {
    const ok = await raw('POST', '/api/request/history', sameOrigin(), JSON.stringify({}));
    expect(JSON.parse(ok.body.toString())).toEqual({ ok: true, value: { canUndo: false, canRedo: false, undoLabel: null, redoLabel: null } });
    const cross = await raw('POST', '/api/request/history', authed({ Origin: 'http://evil.example' }), '{}');
    expect(cross.status).toBe(403);
    const noCookie = await raw('POST', '/api/request/history', { Origin: `http://127.0.0.1:${server.port}` }, '{}');
    expect(noCookie.status).toBe(401);
    const bad = await raw('POST', '/api/request/getTrack', sameOrigin(), JSON.stringify({ arg: { id: 'x' } }));
    expect(JSON.parse(bad.body.toString())).toMatchObject({ ok: false, error: { code: 'invalid-argument', message: expect.stringMatching(/^getTrack: id:/) } });
    const failing = await raw('POST', '/api/request/getTrack', sameOrigin(), JSON.stringify({ arg: { id: 3 } }));
    expect(JSON.parse(failing.body.toString())).toEqual({ ok: false, error: { code: 'failed', message: 'track 3 exploded' } });
    const unknown = await raw('POST', '/api/request/deleteEverything', sameOrigin(), '{}');
    expect(JSON.parse(unknown.body.toString())).toMatchObject({ ok: false, error: { code: 'not-found' } });
  });

  it('streams library audio with byte ranges for seeking, and nothing else', async () => {
    const size = statSync(clip).size;
    const whole = await raw('GET', '/media/track/7', authed());
    expect(whole.status).toBe(200);
    expect(whole.headers['content-type']).toBe('audio/mpeg');
    expect(whole.body.length).toBe(size);
    const part = await raw('GET', '/media/track/7', authed({ Range: 'bytes=1000-1999' }));
    expect(part.status).toBe(206);
    expect(part.headers['content-range']).toBe(`bytes 1000-1999/${size}`);
    expect(part.body.equals(readFileSync(clip).subarray(1000, 2000))).toBe(true);
    expect((await raw('GET', '/media/track/7', authed({ Range: `bytes=${size}-` }))).status).toBe(416);
    expect((await raw('GET', '/media/track/8', authed())).status).toBe(404);
    expect((await raw('GET', '/media/track/7')).status).toBe(401);
  });

  it("serves a track's embedded cover, no content for a track without one, nothing for others", async () => {
    const cover = await raw('GET', '/media/cover/7', authed());
    expect(cover.status).toBe(200);
    expect(cover.headers['content-type']).toBe('image/png');
    expect([...cover.body]).toEqual([137, 80, 78, 71]);
    expect((await raw('GET', '/media/cover/11', authed())).status).toBe(204);
    expect((await raw('GET', '/media/cover/8', authed())).status).toBe(404);
    expect((await raw('GET', '/media/cover/7')).status).toBe(401);
  });

  it('imports uploaded audio into the library and refuses other files', async () => {
    const bytes = readFileSync(clip);
    const up = await raw('PUT', `/api/import?name=${encodeURIComponent('my song.mp3')}`, sameOrigin({ 'Content-Type': 'application/octet-stream' }), bytes);
    expect(JSON.parse(up.body.toString())).toEqual({ ok: true, value: { files: 1, queued: 1, errors: [] } });
    const saved = dropped.at(-1)![0]!;
    expect(saved.startsWith(core.importDir)).toBe(true);
    expect(saved).toMatch(/-my song\.mp3$/);
    expect(readFileSync(saved).equals(bytes)).toBe(true);
    const refused = await raw('PUT', '/api/import?name=run.sh', sameOrigin(), 'echo hi');
    expect(refused.status).toBe(400);
  });

  it('pushes core events over an authenticated same-origin WebSocket only', async () => {
    const wsUrl = `ws://127.0.0.1:${server.port}/api/events`;
    const refused = new WebSocket(wsUrl, { headers: { Origin: 'http://evil.example', Cookie: cookieHeader } });
    await expect(new Promise((resolve, reject) => { refused.on('open', resolve); refused.on('error', reject); })).rejects.toThrow(/403/);
    const ws = new WebSocket(wsUrl, { headers: { Origin: `http://127.0.0.1:${server.port}`, Cookie: cookieHeader } });
    await new Promise((resolve) => ws.on('open', resolve));
    const received = new Promise<string>((resolve) => ws.on('message', (data) => resolve(String(data))));
    const payload: EventPayloads['notice'] = { level: 'info', message: 'hello' };
    for (const l of listeners) l('notice' as EventName, payload);
    expect(JSON.parse(await received)).toEqual({ event: 'notice', payload });
    ws.close();
  });
});
