// Browser mode is reachable only from this machine (or through an SSH tunnel to it): a random
// per-run token, carried by an HttpOnly cookie after the first visit, plus Host and Origin checks
// against DNS rebinding and cross-site requests.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { hostname, networkInterfaces } from 'node:os';

/** The session cookie's name: per port, because cookies are shared by every port of a host. */
export function tokenCookie(port: number): string {
  return `eno_token_${port}`;
}

/** A fresh random token for one server run. */
export function newToken(): string {
  return randomBytes(24).toString('base64url');
}

/** Constant-time token comparison. */
export function tokenMatches(expected: string, given: string | null | undefined): boolean {
  if (!given) return false;
  const a = Buffer.from(expected);
  const b = Buffer.from(given);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Reads one cookie from a request. */
export function cookie(req: IncomingMessage, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [key, ...rest] = part.trim().split('=');
    if (key === name) return rest.join('=');
  }
  return undefined;
}

const LOOPBACK_HOST = /^(?:127\.0\.0\.1|localhost|\[::1\])(?::\d{1,5})?$/i;

/**
 * The Host header must name a loopback address (any port, so an SSH tunnel to another local port
 * works); a DNS-rebinding page would send its own host name. `allowedHosts` are the extra names of
 * an explicit non-loopback bind.
 */
export function hostAllowed(req: IncomingMessage, allowedHosts: ReadonlySet<string> = new Set()): boolean {
  const host = req.headers.host ?? '';
  if (LOOPBACK_HOST.test(host)) return true;
  const name = host.startsWith('[') ? host.slice(0, host.indexOf(']') + 1) : host.split(':')[0]!;
  return allowedHosts.has(name.toLowerCase());
}

/** Names this machine answers to on a non-loopback bind: the address itself, or for a wildcard every interface address and the host name. */
export function namesOfBind(bindHost: string): Set<string> {
  if (bindHost !== '0.0.0.0' && bindHost !== '::') return new Set([bindHost.toLowerCase()]);
  const names = new Set<string>([hostname().toLowerCase()]);
  for (const list of Object.values(networkInterfaces())) {
    for (const a of list ?? []) names.add(a.family === 'IPv6' ? `[${a.address}]` : a.address);
  }
  return names;
}

/** A state-changing request must come from a page served by this server (same origin). */
export function originAllowed(req: IncomingMessage): boolean {
  const origin = req.headers.origin;
  return origin !== undefined && origin === `http://${req.headers.host ?? ''}`;
}
