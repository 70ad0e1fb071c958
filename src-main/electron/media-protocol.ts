// eno-media://track/<id>: streams a library track to the window's <audio> element with byte
// ranges (for seeking). Only tracks in the library are served; nothing else on disk is reachable.
import { createReadStream, promises as fs } from 'node:fs';
import { Readable } from 'node:stream';
import { protocol } from 'electron';
import type { CoreHost } from '../core/core-host';
import { audioContentType, parseRange } from '../media/range';

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
    const match = url.hostname === 'track' ? /^\/(\d+)$/.exec(url.pathname) : null;
    const file = match ? core.mediaFile(Number(match[1])) : null;
    if (!file) return new Response('no such track in the library', { status: 404 });
    let size: number;
    try {
      size = (await fs.stat(file)).size;
    } catch {
      return new Response('the file of this track is missing', { status: 404 });
    }
    const range = parseRange(request.headers.get('range'), size);
    const headers = new Headers({ 'Content-Type': audioContentType(file), 'Accept-Ranges': 'bytes' });
    if (range === 'unsatisfiable') {
      headers.set('Content-Range', `bytes */${size}`);
      return new Response(null, { status: 416, headers });
    }
    const { start, end } = range ?? { start: 0, end: Math.max(0, size - 1) };
    headers.set('Content-Length', String(size === 0 ? 0 : end - start + 1));
    if (range) headers.set('Content-Range', `bytes ${start}-${end}/${size}`);
    const body = size === 0 ? null : (Readable.toWeb(createReadStream(file, { start, end })) as ReadableStream<Uint8Array>);
    return new Response(body, { status: range ? 206 : 200, headers });
  });
}
