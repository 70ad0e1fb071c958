// eno-media://track/<id>: streams a library track to the window's <audio> element with byte
// ranges (for seeking); eno-media://cover/<id>: its embedded cover picture. Only tracks in the
// library are served; nothing else on disk is reachable.
import { createReadStream } from 'node:fs';
import { Readable } from 'node:stream';
import { protocol } from 'electron';
import type { CoreHost } from '../core/core-host';
import { planMediaReply } from '../media/range';

export const MEDIA_SCHEME = 'eno-media';

/** Must run before the app is ready. */
export function registerMediaScheme(): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: MEDIA_SCHEME, privileges: { standard: true, secure: true, stream: true, supportFetchAPI: true } },
  ]);
}

/** Serves the scheme from the core's library. */
export function handleMediaProtocol(core: CoreHost): void {
  protocol.handle(MEDIA_SCHEME, async (request) => {
    const url = new URL(request.url);
    if (url.hostname === 'cover') return coverResponse(core, url.pathname);
    const match = url.hostname === 'track' ? /^\/(\d+)$/.exec(url.pathname) : null;
    const file = match ? core.mediaFile(Number(match[1])) : null;
    const reply = await planMediaReply(file, request.headers.get('range'));
    if (reply.message) return new Response(reply.message, { status: reply.status });
    const body = reply.range ? (Readable.toWeb(createReadStream(file!, reply.range)) as ReadableStream<Uint8Array>) : null;
    return new Response(body, { status: reply.status, headers: reply.headers });
  });
}

/** A track's embedded cover, 204 when it has none. */
async function coverResponse(core: CoreHost, pathname: string): Promise<Response> {
  const match = /^\/(\d+)$/.exec(pathname);
  if (!match || core.mediaFile(Number(match[1])) === null) return new Response('no such track in the library', { status: 404 });
  const cover = (await core.coverArt?.(Number(match[1]))) ?? null;
  if (!cover) return new Response(null, { status: 204 });
  return new Response(Buffer.from(cover.data), { status: 200, headers: { 'Content-Type': cover.mime, 'Cache-Control': 'private, max-age=300' } });
}
