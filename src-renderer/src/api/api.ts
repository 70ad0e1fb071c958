// The renderer's single entry to the core. Picks the transport once at start; components call
// `call(...)` and `onEvent(...)` and never touch window.eno or fetch.
import type { EventName, EventPayloads, RequestArg, RequestName, RequestResult } from '../../../src-preload/contract';
import { electronTransport } from './electron-transport';
import { httpTransport } from './http-transport';
import type { Transport } from './transport';

let transport: Transport | undefined;

/** The transport in use (created on first use). */
export function getTransport(): Transport {
  transport ??= window.eno ? electronTransport(window.eno) : httpTransport();
  return transport;
}

/** A failed request, with the message the core gave. */
export class RequestError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** Calls a contract request; resolves to its value or rejects with a RequestError. */
export async function call<N extends RequestName>(name: N, arg: RequestArg<N>): Promise<RequestResult<N>> {
  const result = await getTransport().request(name, arg);
  if (!result.ok) throw new RequestError(result.error.code, result.error.message);
  return result.value as RequestResult<N>;
}

/** Subscribes to a core event; returns the unsubscribe function. */
export function onEvent<E extends EventName>(event: E, listener: (payload: EventPayloads[E]) => void): () => void {
  return getTransport().on(event, listener);
}
