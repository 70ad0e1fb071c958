// File-server transfers. Uploads stream the file from disk as one multipart part whose field name
// and filename are the object path (as the ClearML file server expects); downloads stream to a
// temporary file beside the target, are checked (size, SHA-256) and then renamed into place, so a
// failed or cut transfer never leaves a partial file under the final name.
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream, promises as fs } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { Readable, Transform, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ClearmlClient } from './client';
import { ClearmlError, networkError } from './errors';
import { readBody, sendHttp } from './http';
import { credentialsMessage, isReadable, resolveStorage, unreadableMessage } from './storage';

export interface TransferProgress {
  readonly doneBytes: number;
  readonly totalBytes: number;
}

export interface UploadOptions {
  readonly localPath: string;
  /** Relative path on the file server, e.g. "eno/.datasets/corrections/corrections.<id>/artifacts/data/x.zip". */
  readonly objectPath: string;
  readonly signal?: AbortSignal;
  readonly onProgress?: (progress: TransferProgress) => void;
  /** Socket inactivity limit; default 60 s. */
  readonly idleTimeoutMs?: number;
}

export interface DownloadOptions {
  readonly url: string;
  /** What is downloaded, for messages ("the state of version 1.0.2 (task …)"); default "the file". */
  readonly what?: string;
  readonly destPath: string;
  readonly expectedSha256?: string;
  readonly expectedSizeBytes?: number;
  readonly signal?: AbortSignal;
  readonly onProgress?: (progress: TransferProgress) => void;
  readonly idleTimeoutMs?: number;
  /** Opens the temporary file for writing; tests pass one that fails like a full disk. */
  readonly openWrite?: (path: string) => Writable;
}

export interface Downloaded {
  readonly path: string;
  readonly sha256: string;
  readonly sizeBytes: number;
}

/** Percent-encodes an object path the way the SDK registers artifact URIs (Python's quote). */
export function quoteObjectPath(objectPath: string): string {
  return objectPath
    .split('/')
    .map((part) => encodeURIComponent(part).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`))
    .join('/');
}

/** The URL a file uploaded to `objectPath` is registered under. */
export function fileServerUrl(filesServer: string, objectPath: string): string {
  return `${filesServer.replace(/\/+$/, '')}/${quoteObjectPath(objectPath)}`;
}

function requireFilesServer(client: ClearmlClient): string {
  if (!client.filesServer) throw new ClearmlError('not-configured', 'No ClearML file server is configured (api.files_server).');
  return client.filesServer;
}

/** Uploads one file to the file server, streamed, retrying network failures; returns the registered URI. */
export async function uploadFile(client: ClearmlClient, options: UploadOptions): Promise<string> {
  const filesServer = requireFilesServer(client);
  const objectPath = options.objectPath.replace(/^\/+/, '');
  const { size } = await fs.stat(options.localPath);
  const boundary = `----eno${randomBytes(12).toString('hex')}`;
  const field = objectPath.replace(/"/g, '%22');
  const head = Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="${field}"; filename="${field}"\r\n` +
      'Content-Type: application/octet-stream\r\n\r\n',
  );
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  let authRetried = false;
  await client.withRetries(async () => {
    let sent = 0;
    const body = Readable.from(
      (async function* () {
        yield head;
        for await (const chunk of createReadStream(options.localPath)) {
          sent += (chunk as Buffer).length;
          options.onProgress?.({ doneBytes: sent, totalBytes: size });
          yield chunk as Buffer;
        }
        yield tail;
      })(),
    );
    const authorization = await client.authorization(options.signal);
    let res;
    try {
      res = await sendHttp({
        method: 'POST',
        url: `${filesServer}/`,
        headers: {
          'content-type': `multipart/form-data; boundary=${boundary}`,
          'content-length': String(head.length + size + tail.length),
          authorization,
        },
        body,
        signal: options.signal,
        idleTimeoutMs: options.idleTimeoutMs ?? 60_000,
        verifyCertificate: client.verifyCertificate,
      });
    } catch (error) {
      body.destroy();
      throw networkError(error, filesServer, 'the ClearML file server');
    }
    const text = await readBody(res.body).catch((error: unknown) => {
      throw networkError(error, filesServer, 'the ClearML file server');
    });
    if (res.status === 401 && !authRetried) {
      authRetried = true;
      client.invalidateToken(authorization);
      throw new ClearmlError('network', 'the file server asked to log in again');
    }
    if (res.status >= 500) throw new ClearmlError('server', `The ClearML file server failed to store ${basename(objectPath)} (HTTP ${res.status}).`, res.status);
    if (res.status !== 200) {
      throw new ClearmlError('api', `The ClearML file server refused ${basename(objectPath)} (HTTP ${res.status}: ${text.toString('utf8').slice(0, 200)}).`, res.status);
    }
  }, options.signal);
  return fileServerUrl(filesServer, objectPath);
}

/** Flushes a file to the disk before it is renamed into place, so a crash cannot leave it empty. */
async function syncFile(path: string): Promise<void> {
  const handle = await fs.open(path, 'r+');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Turns a failure to write the downloaded bytes into a message naming the folder. */
function writeError(error: unknown, destPath: string): ClearmlError {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOSPC') return new ClearmlError('disk-full', `Not enough disk space in ${dirname(destPath)} to download ${basename(destPath)}; free some space and try again.`);
  if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS') {
    return new ClearmlError('io', `Cannot write to ${dirname(destPath)} (${code}): check the folder's permissions.`);
  }
  return new ClearmlError('io', `Writing ${basename(destPath)} to ${dirname(destPath)} failed: ${(error as Error).message}`);
}

/**
 * Downloads `url` to `destPath` via a temporary file, verifying size and SHA-256; retries network
 * failures. The file server (under any of its spellings) gets the session's token; other HTTP
 * addresses none; storage eno cannot read is refused with advice.
 */
export async function downloadFile(client: ClearmlClient, options: DownloadOptions): Promise<Downloaded> {
  const what = options.what ?? 'the file';
  const target = resolveStorage(options.url, client.filesServer, client.pathSubstitutions);
  if (!isReadable(target)) throw new ClearmlError('storage', unreadableMessage(what, options.url, target, client.filesServer));
  await fs.mkdir(dirname(options.destPath), { recursive: true });
  const openWrite = options.openWrite ?? ((path: string) => createWriteStream(path, { flags: 'wx' }));
  let authRetried = false;
  return client.withRetries(async () => {
    const temp = join(dirname(options.destPath), `.${basename(options.destPath)}.${randomBytes(6).toString('hex')}.part`);
    const authorization = target.kind === 'files-server' ? await client.authorization(options.signal) : undefined;
    let res;
    try {
      res = await sendHttp({
        method: 'GET',
        url: new URL(target.url).toString(),
        headers: authorization ? { authorization } : {},
        signal: options.signal,
        idleTimeoutMs: options.idleTimeoutMs ?? 60_000,
        verifyCertificate: client.verifyCertificate,
      });
    } catch (error) {
      throw networkError(error, options.url, 'the ClearML file server');
    }
    if (res.status !== 200) {
      res.body.resume();
      if (res.status === 401 && authorization && !authRetried) {
        authRetried = true;
        client.invalidateToken(authorization);
        throw new ClearmlError('network', 'the file server asked to log in again');
      }
      if (res.status >= 500) throw new ClearmlError('server', `The file server failed to send ${options.url} (HTTP ${res.status}).`, res.status);
      if ((res.status === 401 || res.status === 403) && !authorization) {
        throw new ClearmlError('storage', credentialsMessage(what, options.url, res.status, client.filesServer), res.status);
      }
      throw new ClearmlError('api', `Cannot download ${what} (${options.url}): HTTP ${res.status}.`, res.status);
    }
    const total = Number(res.headers['content-length'] ?? options.expectedSizeBytes ?? 0);
    const hash = createHash('sha256');
    let done = 0;
    const tap = new Transform({
      transform(chunk: Buffer, _enc, callback) {
        hash.update(chunk);
        done += chunk.length;
        options.onProgress?.({ doneBytes: done, totalBytes: total });
        callback(null, chunk);
      },
    });
    let sink: Writable;
    try {
      sink = openWrite(temp);
    } catch (error) {
      res.body.destroy();
      throw writeError(error, options.destPath);
    }
    // When one side fails the pipeline destroys the other with the same error: the first to fail is the cause.
    let firstFailure: { side: 'read' | 'write'; error: unknown } | undefined;
    res.body.once('error', (error) => (firstFailure ??= { side: 'read', error }));
    sink.once('error', (error) => (firstFailure ??= { side: 'write', error }));
    try {
      await pipeline(res.body, tap, sink);
    } catch (error) {
      await fs.rm(temp, { force: true });
      if (firstFailure?.side === 'write') throw writeError(firstFailure.error, options.destPath);
      throw networkError(error, options.url, 'the ClearML file server');
    }
    const sha256 = hash.digest('hex');
    const fail = async (message: string, code: 'checksum' | 'network' = 'checksum'): Promise<never> => {
      await fs.rm(temp, { force: true });
      throw new ClearmlError(code, message);
    };
    if (total > 0 && done !== total) await fail(`The download of ${options.url} was cut short (${done} of ${total} bytes).`, 'network');
    if (options.expectedSizeBytes !== undefined && done !== options.expectedSizeBytes) {
      await fail(`${basename(options.destPath)} has ${done} bytes, expected ${options.expectedSizeBytes}.`);
    }
    if (options.expectedSha256 && sha256 !== options.expectedSha256.toLowerCase()) {
      await fail(`${basename(options.destPath)} failed its checksum (SHA-256 ${sha256.slice(0, 12)}…, expected ${options.expectedSha256.slice(0, 12)}…).`);
    }
    await syncFile(temp).catch(async (error: unknown) => {
      await fs.rm(temp, { force: true });
      throw writeError(error, options.destPath);
    });
    await fs.rename(temp, options.destPath);
    return { path: options.destPath, sha256, sizeBytes: done };
  }, options.signal);
}
