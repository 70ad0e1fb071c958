// Endpoints the SDK calls on the side (console log events, server info); the test server accepts
// them and keeps what tests may want to look at.
import { optObjects, reqString, requireFields, type JsonObject } from './api-error';
import type { HandlerTable } from './handler';

export const miscHandlers: HandlerTable = {
  'events.add': (body) => {
    requireFields(body, ['type']);
    return { added: 1, errors: 0 };
  },
  'events.add_batch': (body) => {
    // The batch arrives as newline-separated JSON objects; the server wraps them as `requests`.
    const events = optObjects(body, 'requests') ?? [];
    return { added: events.length, errors: 0, errors_info: {} };
  },
  'events.get_task_log': (body) => ({ task: reqString(body, 'task'), events: [], returned: 0, total: 0 }),
  'server.info': (_body, { state }): JsonObject => ({ version: state.serverVersion, build: 'test', commit: 'test', api_version: state.apiVersion }),
  'debug.ping': (): JsonObject => ({ msg: 'ClearML server' }),
};
