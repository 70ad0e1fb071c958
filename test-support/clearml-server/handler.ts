// What an endpoint implementation of the test server looks like.
import type { JsonObject } from './api-error';
import type { ServerState } from './state';

export interface CallContext {
  readonly state: ServerState;
}

/** One endpoint: takes the request body, returns the envelope's `data`, or throws ApiError. */
export type Handler = (body: JsonObject, ctx: CallContext) => JsonObject;

export type HandlerTable = Readonly<Record<string, Handler>>;
