// The ClearML REST client: POST JSON to <api>/v<version>/<service>.<action>, log in with the access
// and secret keys (HTTP Basic at auth.login), send the token as Bearer after that, log in again once
// on 401, read the { meta, data } envelope, and retry network failures and 5xx answers with bounded
// exponential backoff. Every wait can be cancelled with an AbortSignal. The version is the one the
// server's token announces, capped at the newest the client knows (see api-version.ts).
import { NEWEST_API_VERSION, negotiateApiVersion, tokenClaims } from './api-version';
import type { ResolvedClearmlConfig } from './config';
import type { PathSubstitution } from './storage';
import { asResult, ClearmlError, classifyConnectionFailure, networkError, type ErrorValue, type Result } from './errors';
import { readBody, sendHttp } from './http';


export interface ClientOptions {
  readonly apiServer: string;
  readonly filesServer?: string | null;
  readonly accessKey?: string | null;
  readonly secretKey?: string | null;
  /** Registered address prefixes read from another address (sdk.storage.path_substitution). */
  readonly pathSubstitutions?: readonly PathSubstitution[];
  /** A token to start from instead of keys (CLEARML_AUTH_TOKEN). */
  readonly authToken?: string | null;
  readonly verifyCertificate?: boolean;
  /** The highest API version to speak (default: the newest the client knows); the server's own caps it. */
  readonly apiVersion?: string;
  /** Per API request; default 30 s. */
  readonly timeoutMs?: number;
  /** Extra attempts after a network failure or a 5xx; default 4. */
  readonly retries?: number;
  /** First backoff delay, doubled each retry (with jitter) up to `maxBackoffMs`; default 500 ms. */
  readonly backoffMs?: number;
  readonly maxBackoffMs?: number;
}

export interface CallOptions {
  readonly signal?: AbortSignal;
  /** Overrides the client's retry count for this call (0 for a quick answer, e.g. "Test connection"). */
  readonly retries?: number;
}

interface Envelope {
  readonly meta: { readonly result_code: number; readonly result_msg?: string; readonly result_subcode?: number };
  readonly data?: unknown;
}

const RETRY_STATUS = new Set([500, 502, 503, 504]);

/** Waits `ms`, or rejects with "cancelled" as soon as the signal fires. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(new ClearmlError('cancelled', 'Cancelled.'));
      return;
    }
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(new ClearmlError('cancelled', 'Cancelled.'));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** True for failures worth another attempt: the network, time-outs and server errors. */
export function isRetryable(error: unknown): boolean {
  if (!(error instanceof ClearmlError)) return true; // raw errno errors from the socket
  return error.code === 'network' || error.code === 'timeout' || error.code === 'server' || error.code === 'refused';
}

function parseEnvelope(text: Buffer, url: string, status: number): Envelope {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text.toString('utf8'));
  } catch {
    if (status >= 500) throw new ClearmlError('server', `The ClearML server answered HTTP ${status} (${new URL(url).host}).`, status);
    throw new ClearmlError('not-clearml', `${new URL(url).origin} answered, but not as a ClearML API server (HTTP ${status}, not JSON): check the API server address.`, status);
  }
  const meta = (parsed as { meta?: unknown } | null)?.meta as Envelope['meta'] | undefined;
  if (typeof meta !== 'object' || meta === null || typeof meta.result_code !== 'number') {
    throw new ClearmlError('not-clearml', `${new URL(url).origin} answered, but not as a ClearML API server (no "meta" envelope): check the API server address.`, status);
  }
  return parsed as Envelope;
}

/** A logged-in session with one ClearML server. */
export class ClearmlClient {
  readonly apiServer: string;
  readonly filesServer: string | null;
  readonly pathSubstitutions: readonly PathSubstitution[];
  readonly verifyCertificate: boolean;
  private token: string | null = null;
  private loggingIn: Promise<string> | null = null;
  private negotiated: string | null = null;
  private clockOffsetMs = 0;

  constructor(private readonly options: ClientOptions) {
    this.apiServer = options.apiServer.replace(/\/+$/, '');
    this.filesServer = options.filesServer ? options.filesServer.replace(/\/+$/, '') : null;
    this.pathSubstitutions = options.pathSubstitutions ?? [];
    this.verifyCertificate = options.verifyCertificate ?? true;
  }

  /** The API version calls go out with: the one agreed at login (before it, the highest allowed). */
  get apiVersion(): string {
    return this.negotiated ?? this.options.apiVersion ?? NEWEST_API_VERSION;
  }

  /** A client for a resolved configuration. */
  static fromConfig(config: ResolvedClearmlConfig, extra: Partial<ClientOptions> = {}): ClearmlClient {
    return new ClearmlClient({
      apiServer: config.apiServer.value,
      filesServer: config.filesServer.value,
      accessKey: config.accessKey.value,
      secretKey: config.secretKey.value,
      authToken: config.authToken.value,
      verifyCertificate: config.verifyCertificate.value,
      pathSubstitutions: config.pathSubstitutions,
      ...extra,
    });
  }

  /** Calls `<service>.<action>` and returns the envelope's data; throws ClearmlError. */
  async call<T>(endpoint: string, body: object = {}, options: CallOptions = {}): Promise<T> {
    return this.withRetries(async () => {
      let token = await this.currentToken(options.signal);
      try {
        return await this.send<T>(endpoint, body, `Bearer ${token}`, options.signal);
      } catch (error) {
        if (!(error instanceof ClearmlError) || error.httpStatus !== 401) throw error;
        // Tokens expire and servers restart: log in once more, then give up.
        token = await this.login(options.signal, token);
        return this.send<T>(endpoint, body, `Bearer ${token}`, options.signal);
      }
    }, options.signal, options.retries);
  }

  /**
   * The server's time, by its own clock (from the Date header of its last answer): ages of things
   * on the server, such as a draft's last ping, are measured against it, not against this machine.
   */
  serverNow(): number {
    return Date.now() + this.clockOffsetMs;
  }

  /** The Authorization header value for the file server (logs in when needed). */
  async authorization(signal?: AbortSignal): Promise<string> {
    return `Bearer ${await this.currentToken(signal)}`;
  }

  /** Drops the token so the next call logs in again (after the file server said 401). */
  invalidateToken(stale: string): void {
    if (`Bearer ${this.token}` === stale) this.token = null;
  }

  /** Runs `attempt` again after network failures and 5xx answers, waiting longer each time. */
  async withRetries<T>(attempt: () => Promise<T>, signal?: AbortSignal, retries = this.options.retries ?? 4): Promise<T> {
    let delayMs = this.options.backoffMs ?? 500;
    for (let n = 0; ; n++) {
      try {
        return await attempt();
      } catch (raw) {
        const error = raw instanceof ClearmlError ? raw : networkError(raw, this.apiServer);
        if (signal?.aborted) throw new ClearmlError('cancelled', 'Cancelled.');
        if (n >= retries || !isRetryable(error)) throw error;
        await sleep(delayMs * (0.75 + Math.random() * 0.5), signal);
        delayMs = Math.min(delayMs * 2, this.options.maxBackoffMs ?? 8000);
      }
    }
  }

  private currentToken(signal?: AbortSignal): Promise<string> {
    return this.token ? Promise.resolve(this.token) : this.login(signal, null);
  }

  /** auth.login with the keys (or the starting token); concurrent callers share one login. */
  private login(signal: AbortSignal | undefined, stale: string | null): Promise<string> {
    if (this.token && this.token !== stale) return Promise.resolve(this.token);
    if (!this.loggingIn) {
      const { accessKey, secretKey, authToken } = this.options;
      let header: string;
      if (accessKey && secretKey) header = `Basic ${Buffer.from(`${accessKey}:${secretKey}`).toString('base64')}`;
      else if (authToken) header = `Bearer ${authToken}`;
      else throw new ClearmlError('not-configured', 'No ClearML credentials are set (access key and secret key).');
      // Like the SDK, log in without a version in the path: the server answers in its newest.
      this.loggingIn = this.send<{ token?: unknown }>('auth.login', {}, header, signal, null)
        .then((data) => {
          if (typeof data.token !== 'string') {
            throw new ClearmlError('not-clearml', `${this.apiServer} answered auth.login without a token: check the API server address.`);
          }
          this.negotiated = negotiateApiVersion(tokenClaims(data.token), hostOf(this.apiServer), this.options.apiVersion ?? NEWEST_API_VERSION);
          this.token = data.token;
          return data.token;
        })
        .catch((error: unknown) => {
          if (error instanceof ClearmlError && error.httpStatus === 401) {
            throw new ClearmlError('auth', `The ClearML server rejected the credentials (401: ${error.message}).`, 401);
          }
          throw error;
        })
        .finally(() => {
          this.loggingIn = null;
        });
    }
    return this.loggingIn;
  }

  private async send<T>(endpoint: string, body: object, authorization: string, signal?: AbortSignal, version: string | null = this.apiVersion): Promise<T> {
    const url = version ? `${this.apiServer}/v${version}/${endpoint}` : `${this.apiServer}/${endpoint}`;
    const payload = Buffer.from(JSON.stringify(body));
    const timeoutMs = this.options.timeoutMs ?? 30_000;
    let res;
    try {
      res = await sendHttp({
        method: 'POST',
        url,
        headers: { 'content-type': 'application/json', 'content-length': String(payload.length), authorization },
        body: payload,
        signal,
        idleTimeoutMs: timeoutMs,
        totalTimeoutMs: timeoutMs,
        verifyCertificate: this.verifyCertificate,
      });
    } catch (error) {
      throw networkError(error, url, 'the ClearML API server');
    }
    const serverDate = Date.parse(String(res.headers.date ?? ''));
    if (Number.isFinite(serverDate)) this.clockOffsetMs = serverDate - Date.now();
    let text: Buffer;
    try {
      text = await readBody(res.body);
    } catch (error) {
      throw networkError(error, url, 'the ClearML API server');
    }
    const envelope = parseEnvelope(text, url, res.status);
    const code = envelope.meta.result_code;
    if (code === 200) return (envelope.data ?? {}) as T;
    const message = envelope.meta.result_msg || `HTTP ${res.status}`;
    const subcode = envelope.meta.result_subcode;
    if (code === 401 || res.status === 401) throw new ClearmlError('auth', message, 401, subcode);
    if (code >= 500 || res.status >= 500) {
      const kind = RETRY_STATUS.has(res.status) || RETRY_STATUS.has(code) ? 'server' : 'api';
      throw new ClearmlError(kind, `The ClearML server failed on ${endpoint}: ${message}`, code, subcode);
    }
    throw new ClearmlError('api', `ClearML refused ${endpoint}: ${message}`, code, subcode);
  }
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}

/** "Test connection": logs in and lists one project; any failure comes back classified. */
export async function testConnection(client: ClearmlClient, signal?: AbortSignal): Promise<Result<{ readonly apiServer: string }>> {
  const result = await asResult(() => client.call('projects.get_all', { page: 0, page_size: 1, only_fields: ['id'] }, { signal, retries: 0 }), signal);
  if (result.ok) return { ok: true, value: { apiServer: client.apiServer } };
  return { ok: false, error: classifyFailure(result.error, client) };
}

function classifyFailure(error: ErrorValue, client: ClearmlClient): ErrorValue {
  return classifyConnectionFailure(new ClearmlError(error.code, error.message), client.apiServer);
}
