// A contract client for tests that talks to `eno serve` from Node, the way the page does:
// token traded for the cookie, same-origin POSTs.
import type { Result } from '../../src-preload/contract';

export interface ApiClient {
  call<T>(name: string, arg?: unknown): Promise<T>;
}

/** Logs in with the URL's token and returns a client. */
export async function connect(url: string): Promise<ApiClient> {
  const origin = new URL(url).origin;
  const login = await fetch(url, { redirect: 'manual' });
  const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0]!;
  if (!cookie) throw new Error(`no session cookie from ${url} (status ${login.status})`);
  return {
    call: async <T>(name: string, arg?: unknown): Promise<T> => {
      const res = await fetch(`${origin}/api/request/${name}`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Cookie: cookie, Origin: origin },
        body: JSON.stringify({ arg }),
      });
      const result = (await res.json()) as Result<T>;
      if (!result.ok) throw new Error(`${name}: ${result.error.message}`);
      return result.value;
    },
  };
}
