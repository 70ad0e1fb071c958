// Failures of talking to ClearML, sorted into what a user can act on (wrong host, server down,
// certificate, credentials, not a ClearML server, timeout), each with a one-line message naming
// what failed. Inside the core they are thrown as ClearmlError; at the module's public functions
// they become `{ ok: false, error: { code, message } }` values.

export type ClearmlErrorCode =
  | 'dns'
  | 'refused'
  | 'tls'
  | 'auth'
  | 'not-clearml'
  | 'timeout'
  | 'network'
  | 'server'
  | 'api'
  | 'cancelled'
  | 'disk-full'
  | 'io'
  | 'checksum'
  | 'invalid-model'
  | 'not-configured'
  | 'conflict'
  | 'server-too-old'
  | 'storage';

export interface ErrorValue {
  readonly code: ClearmlErrorCode;
  readonly message: string;
}

export type Result<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: ErrorValue };

/** A failure with a code the UI can switch on and a message it can show as is. */
export class ClearmlError extends Error {
  constructor(
    readonly code: ClearmlErrorCode,
    message: string,
    /** For refused API calls: the envelope's result_code (the HTTP status for transfers). */
    readonly httpStatus?: number,
    /** For refused API calls: the envelope's result_subcode (e.g. 110, invalid task status). */
    readonly subcode?: number,
  ) {
    super(message);
    this.name = 'ClearmlError';
  }
}

const TLS_CODES = new Set([
  'CERT_HAS_EXPIRED', 'DEPTH_ZERO_SELF_SIGNED_CERT', 'SELF_SIGNED_CERT_IN_CHAIN', 'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT', 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY', 'ERR_TLS_CERT_ALTNAME_INVALID', 'CERT_NOT_YET_VALID',
  'CERT_SIGNATURE_FAILURE', 'ERR_SSL_WRONG_VERSION_NUMBER', 'EPROTO', 'CERT_UNTRUSTED', 'CERT_REJECTED',
]);

function hostnameOf(url: string): string {
  try {
    return new URL(url).hostname;
  } catch {
    return url;
  }
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}

/** Turns a low-level network error (errno codes from node:http) into a ClearmlError. */
export function networkError(error: unknown, url: string, what = 'the ClearML server'): ClearmlError {
  if (error instanceof ClearmlError) return error;
  const code = (error as NodeJS.ErrnoException | undefined)?.code ?? '';
  const host = hostOf(url);
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') {
    return new ClearmlError('dns', `Cannot find ${what}: the host name ${hostnameOf(url)} does not resolve (check the address).`);
  }
  if (code === 'ECONNREFUSED') return new ClearmlError('refused', `Cannot reach ${what} at ${host}: the connection was refused (is the server running, and is the port right?).`);
  const text = (error as Error | undefined)?.message ?? '';
  if (/wrong version number|packet length too long|unknown protocol/i.test(text)) {
    return new ClearmlError('tls', `Secure connection to ${host} failed: the server does not speak TLS there (should the address start with http:// rather than https://?).`);
  }
  if (TLS_CODES.has(code) || /certificate|SSL|TLS/i.test(text)) {
    const reason = text.split('\n')[0]!.replace(/^.*?:error:[0-9A-F]+:/, '').trim();
    return new ClearmlError('tls', `Secure connection to ${host} failed: ${reason} (check the certificate, or turn off certificate checks for this server).`);
  }
  if (code === 'ETIMEDOUT' || code === 'ESOCKETTIMEDOUT') return new ClearmlError('timeout', `${capitalize(what)} at ${host} did not answer in time.`);
  if (code === 'ABORT_ERR') return new ClearmlError('cancelled', 'Cancelled.');
  const detail = (error as Error | undefined)?.message ?? String(error);
  return new ClearmlError('network', `The connection to ${what} at ${host} failed: ${detail}.`);
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** The value form of any error, for the module's public functions. */
export function toErrorValue(error: unknown): ErrorValue {
  if (error instanceof ClearmlError) return { code: error.code, message: error.message };
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ENOSPC') return { code: 'disk-full', message: 'The disk is full.' };
  return { code: 'io', message: error instanceof Error ? error.message : String(error) };
}

/** Runs `work`, returning its value or the error as a value ("cancelled" whenever the signal fired). */
export async function asResult<T>(work: () => Promise<T>, signal?: AbortSignal): Promise<Result<T>> {
  try {
    return { ok: true, value: await work() };
  } catch (error) {
    if (signal?.aborted) return { ok: false, error: { code: 'cancelled', message: 'Cancelled.' } };
    return { ok: false, error: toErrorValue(error) };
  }
}

/**
 * The one-line message for a failed "Test connection": names what failed (host name, connection,
 * certificate, credentials, the server's identity, time) so the user knows which field to fix.
 */
export function classifyConnectionFailure(error: unknown, apiServer: string): ErrorValue {
  const e = error instanceof ClearmlError ? error : networkError(error, apiServer, 'the ClearML API server');
  if (e.code === 'auth') {
    return { code: 'auth', message: `The ClearML server at ${hostOf(apiServer)} rejected the access key and secret key (401): check the credentials.` };
  }
  return { code: e.code, message: e.message };
}
