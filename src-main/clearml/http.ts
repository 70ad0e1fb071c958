// The one HTTP transport of the ClearML module, on node:http/https rather than fetch: it streams
// request bodies from disk, can skip certificate checks when the user turns them off (fetch cannot
// without a second HTTP library), and has idle and total timeouts plus AbortSignal support.
import { request as httpRequest, type IncomingHttpHeaders, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { Readable } from 'node:stream';
import { ClearmlError } from './errors';

export interface HttpRequest {
  readonly method: 'GET' | 'POST' | 'DELETE';
  readonly url: string;
  readonly headers?: Readonly<Record<string, string>>;
  /** A buffer, or a stream piped as the body (its length should be in the headers). */
  readonly body?: Buffer | Readable;
  readonly signal?: AbortSignal;
  /** Fails when nothing moves on the socket for this long. */
  readonly idleTimeoutMs: number;
  /** Fails when the response headers have not arrived after this long (whole exchange for API calls). */
  readonly totalTimeoutMs?: number;
  readonly verifyCertificate?: boolean;
}

export interface HttpResponse {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  /** The body stream; the caller must consume or destroy it. */
  readonly body: IncomingMessage;
}

/** Sends a request and resolves once the response headers are in; network failures reject with their errno error. */
export function sendHttp(req: HttpRequest): Promise<HttpResponse> {
  return new Promise((resolve, reject) => {
    if (req.signal?.aborted) {
      reject(new ClearmlError('cancelled', 'Cancelled.'));
      return;
    }
    const url = new URL(req.url);
    const make = url.protocol === 'https:' ? httpsRequest : httpRequest;
    let settled = false;
    let totalTimer: NodeJS.Timeout | undefined;
    const fail = (error: Error): void => {
      cleanup();
      if (!settled) {
        settled = true;
        reject(error);
      }
      outgoing.destroy();
    };
    const onAbort = (): void => fail(new ClearmlError('cancelled', 'Cancelled.'));
    const cleanup = (): void => {
      if (totalTimer) clearTimeout(totalTimer);
      req.signal?.removeEventListener('abort', onAbort);
    };
    const outgoing = make(url, {
      method: req.method,
      headers: req.headers,
      rejectUnauthorized: req.verifyCertificate ?? true,
    });
    outgoing.setTimeout(req.idleTimeoutMs, () =>
      fail(new ClearmlError('timeout', `${url.host} did not answer within ${Math.round(req.idleTimeoutMs / 1000)} s.`)),
    );
    if (req.totalTimeoutMs !== undefined) {
      totalTimer = setTimeout(
        () => fail(new ClearmlError('timeout', `${url.host} did not answer within ${Math.round(req.totalTimeoutMs! / 1000)} s.`)),
        req.totalTimeoutMs,
      );
    }
    req.signal?.addEventListener('abort', onAbort, { once: true });
    outgoing.on('error', (error) => fail(error));
    outgoing.on('response', (res) => {
      cleanup();
      if (settled) {
        res.destroy();
        return;
      }
      settled = true;
      // Aborting while the caller reads the body must still stop it.
      if (req.signal) {
        const stop = (): void => {
          res.destroy(new ClearmlError('cancelled', 'Cancelled.'));
        };
        req.signal.addEventListener('abort', stop, { once: true });
        res.once('close', () => req.signal?.removeEventListener('abort', stop));
      }
      resolve({ status: res.statusCode ?? 0, headers: res.headers, body: res });
    });
    const body = req.body;
    if (body === undefined) outgoing.end();
    else if (Buffer.isBuffer(body)) outgoing.end(body);
    else {
      body.on('error', (error) => fail(error));
      body.pipe(outgoing);
    }
  });
}

/** Reads a whole (small) response body, refusing more than `limitBytes`. */
export async function readBody(res: IncomingMessage, limitBytes = 64 * 1024 * 1024): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of res) {
    size += (chunk as Buffer).length;
    if (size > limitBytes) {
      res.destroy();
      throw new ClearmlError('server', `the server's answer is larger than ${limitBytes} bytes`);
    }
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}
