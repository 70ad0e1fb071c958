// Which API version to speak, decided as the SDK decides it (clearml/backend_api/session/session.py):
// the server writes its newest API version into the token auth.login returns (claim `api_version`,
// with `server_version` beside it), and every later call goes to /v<version>/. The client speaks the
// highest version both sides know, and refuses a server older than the oldest version it needs.
import { ClearmlError } from './errors';

/** The newest service set the client was written against (SDK 1.17 and 2.x). */
export const NEWEST_API_VERSION = '2.23';
/** The oldest it can work with: datasets in hidden "<project>/.datasets/<name>" projects (the SDK's Dataset minimum). */
export const OLDEST_API_VERSION = '2.20';

export interface ServerClaims {
  readonly apiVersion: string | null;
  readonly serverVersion: string | null;
  readonly env: string | null;
}

/** Reads the claims of a ClearML token (a JWT); null fields when it is not one or they are missing. */
export function tokenClaims(token: string): ServerClaims {
  try {
    const payload = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as Record<string, unknown>;
    const text = (v: unknown): string | null => (typeof v === 'string' || typeof v === 'number' ? String(v) : null);
    return { apiVersion: text(payload.api_version), serverVersion: text(payload.server_version), env: text(payload.env) };
  } catch {
    return { apiVersion: null, serverVersion: null, env: null };
  }
}

function parts(version: string): [number, number] {
  const [major = 0, minor = 0] = version.split('.').map((p) => Number.parseInt(p, 10) || 0);
  return [major, minor];
}

/** Negative, zero or positive as API version `a` is lower than, equal to or higher than `b`. */
export function compareApiVersions(a: string, b: string): number {
  const [x, y] = [parts(a), parts(b)];
  return x[0] - y[0] || x[1] - y[1];
}

/**
 * The version to speak with a server whose token carries `claims`, never above `newest`. A token
 * without a version counts as 2.2 on a "prod" server and 2.9 otherwise, as the SDK takes it.
 */
export function negotiateApiVersion(claims: ServerClaims, serverHost: string, newest = NEWEST_API_VERSION): string {
  const server = claims.apiVersion ?? (claims.env === 'prod' ? '2.2' : '2.9');
  if (compareApiVersions(server, OLDEST_API_VERSION) < 0) {
    const release = claims.serverVersion ? ` (ClearML Server ${claims.serverVersion})` : claims.apiVersion ? '' : ' (it does not say which; taken as the SDK takes it)';
    throw new ClearmlError(
      'server-too-old',
      `The ClearML server at ${serverHost} speaks API ${server}${release}; eno needs API ${OLDEST_API_VERSION} or newer: update the ClearML server.`,
    );
  }
  return compareApiVersions(server, newest) < 0 ? server : newest;
}
