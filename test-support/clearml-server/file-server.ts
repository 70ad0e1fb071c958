// The test file server: POST / with multipart/form-data stores each part under its field name (the
// object path), as the ClearML file server does; GET /<path> returns it; DELETE removes it.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { TokenAuthority } from './auth';
import { ApiError } from './api-error';
import type { FaultPlan } from './faults';
import type { ServerState } from './state';

interface Part {
  readonly name: string;
  readonly data: Buffer;
}

/** Splits a multipart/form-data body into its named parts. */
export function parseMultipart(body: Buffer, contentType: string | undefined): Part[] {
  const boundary = /boundary="?([^";]+)"?/i.exec(contentType ?? '')?.[1];
  if (!contentType?.toLowerCase().startsWith('multipart/form-data') || !boundary) {
    throw new ApiError(400, 0, 'expected multipart/form-data with a boundary');
  }
  const delimiter = Buffer.from(`--${boundary}`);
  const parts: Part[] = [];
  let start = body.indexOf(delimiter);
  if (start < 0) throw new ApiError(400, 0, 'multipart body has no parts');
  for (;;) {
    const afterDelimiter = start + delimiter.length;
    if (body.subarray(afterDelimiter, afterDelimiter + 2).toString() === '--') return parts;
    const headerEnd = body.indexOf('\r\n\r\n', afterDelimiter);
    const next = body.indexOf(Buffer.concat([Buffer.from('\r\n'), delimiter]), headerEnd);
    if (headerEnd < 0 || next < 0) throw new ApiError(400, 0, 'truncated multipart body');
    const headers = body.subarray(afterDelimiter + 2, headerEnd).toString('utf8');
    const name = /content-disposition:[^\r\n]*\bname="([^"]*)"/i.exec(headers)?.[1];
    if (name === undefined) throw new ApiError(400, 0, 'multipart part without a field name');
    parts.push({ name, data: Buffer.from(body.subarray(headerEnd + 4, next)) });
    start = next + 2;
  }
}

function sendJson(res: ServerResponse, status: number, value: unknown): void {
  const text = JSON.stringify(value);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

/** Serves one file-server request. */
export function handleFileRequest(
  req: IncomingMessage,
  res: ServerResponse,
  deps: { state: ServerState; auth: TokenAuthority; faults: FaultPlan },
): void {
  const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname).replace(/^\/+/, '');
  try {
    deps.auth.verify(req.headers.authorization);
  } catch (error) {
    req.resume();
    const e = error as ApiError;
    sendJson(res, e.code, { error: e.message });
    return;
  }
  if (req.method === 'POST') {
    deps.state.uploadAttempts += 1;
    const cutAfter = deps.faults.onUpload();
    const chunks: Buffer[] = [];
    let received = 0;
    req.on('data', (chunk: Buffer) => {
      received += chunk.length;
      chunks.push(chunk);
      if (cutAfter !== undefined && received >= cutAfter) req.socket.destroy();
    });
    req.on('end', () => {
      try {
        const stored = parseMultipart(Buffer.concat(chunks), req.headers['content-type']).map((part) => {
          const key = `${path ? `${path.replace(/\/+$/, '')}/` : ''}${part.name.replace(/^\/+/, '')}`;
          deps.state.files.set(key, part.data);
          return key;
        });
        sendJson(res, 200, stored);
      } catch (error) {
        sendJson(res, 400, { error: (error as Error).message });
      }
    });
    return;
  }
  if (req.method === 'GET' || req.method === 'HEAD') {
    const data = deps.state.files.get(path);
    if (!data) {
      sendJson(res, 404, { error: `not found: ${path}` });
      return;
    }
    res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': data.length });
    if (req.method === 'HEAD') {
      res.end();
      return;
    }
    const cutAfter = deps.faults.onDownload();
    if (cutAfter === undefined) {
      res.end(data);
      return;
    }
    res.write(data.subarray(0, Math.min(cutAfter, data.length)), () => res.socket?.destroy());
    return;
  }
  if (req.method === 'DELETE') {
    const existed = deps.state.files.delete(path);
    sendJson(res, existed ? 200 : 404, existed ? { deleted: path } : { error: `not found: ${path}` });
    return;
  }
  sendJson(res, 405, { error: `method ${req.method} not allowed` });
}
