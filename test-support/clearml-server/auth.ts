// Authentication of the test server: HTTP Basic with an access/secret key pair at auth.login, and
// HS256 JWTs after that, carrying the claims the SDK reads (api_version, server_version, exp).
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { ApiError } from './api-error';
import { SERVER_API_VERSION, SERVER_VERSION } from './api-version';
import { TEST_IDENTITY } from './state';

/** What the server writes into its tokens about itself (the SDK reads api_version from there). */
export interface ServerIdentity {
  readonly apiVersion: string;
  readonly serverVersion: string;
}

export interface Credentials {
  readonly accessKey: string;
  readonly secretKey: string;
}

const b64url = (data: Buffer | string): string => Buffer.from(data).toString('base64url');

/** Issues and checks tokens; revoking makes every token issued so far invalid. */
export class TokenAuthority {
  private readonly secret = randomBytes(32);
  private generation = 0;

  constructor(
    readonly credentials: Credentials,
    private readonly tokenLifetimeSec: number,
    private readonly server: ServerIdentity = { apiVersion: SERVER_API_VERSION, serverVersion: SERVER_VERSION },
  ) {}

  /** Checks an Authorization header at auth.login and returns a fresh token. */
  login(authorization: string | undefined): string {
    if (!authorization) throw new ApiError(401, 20, 'Unauthorized (missing credentials)');
    const [scheme, data = ''] = authorization.split(' ', 2);
    if (scheme === 'Bearer') {
      this.verify(authorization);
      return this.issue();
    }
    if (scheme !== 'Basic') throw new ApiError(401, 10, 'Unauthorized (bad authentication header type)');
    const decoded = Buffer.from(data, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon < 0) throw new ApiError(401, 21, 'Unauthorized (malformed credentials)');
    const key = decoded.slice(0, colon);
    const secret = decoded.slice(colon + 1);
    if (key !== this.credentials.accessKey || !sameText(secret, this.credentials.secretKey)) {
      throw new ApiError(401, 22, 'Unauthorized (invalid credentials)');
    }
    return this.issue();
  }

  /** Checks a Bearer header on any other call. */
  verify(authorization: string | undefined): void {
    if (!authorization) throw new ApiError(401, 20, 'Unauthorized (missing credentials)');
    const [scheme, token = ''] = authorization.split(' ', 2);
    if (scheme !== 'Bearer') throw new ApiError(401, 10, 'Unauthorized (bad authentication header type)');
    const [header, payload, signature] = token.split('.');
    if (!header || !payload || !signature || !sameText(signature, this.sign(`${header}.${payload}`))) {
      throw new ApiError(401, 30, 'Invalid token');
    }
    let claims: { exp?: number; gen?: number };
    try {
      claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { exp?: number; gen?: number };
    } catch {
      throw new ApiError(401, 30, 'Invalid token');
    }
    if (claims.gen !== this.generation) throw new ApiError(401, 30, 'Invalid token (revoked)');
    if (typeof claims.exp === 'number' && claims.exp * 1000 < Date.now()) throw new ApiError(401, 30, 'Invalid token (expired)');
  }

  /** Invalidates every token issued so far, as a server restart with a new secret would. */
  revokeAll(): void {
    this.generation += 1;
  }

  private issue(): string {
    const nowSec = Math.floor(Date.now() / 1000);
    const header = b64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }));
    const payload = b64url(
      JSON.stringify({
        env: 'test',
        identity: {
          company: TEST_IDENTITY.company,
          company_name: 'eno test',
          user: TEST_IDENTITY.user,
          user_name: TEST_IDENTITY.userName,
          role: 'user',
        },
        api_version: this.server.apiVersion,
        server_version: this.server.serverVersion,
        server_build: 'test',
        feature_set: 'basic',
        iat: nowSec,
        exp: nowSec + this.tokenLifetimeSec,
        gen: this.generation,
      }),
    );
    return `${header}.${payload}.${this.sign(`${header}.${payload}`)}`;
  }

  private sign(data: string): string {
    return createHmac('sha256', this.secret).update(data).digest('base64url');
  }
}

function sameText(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
