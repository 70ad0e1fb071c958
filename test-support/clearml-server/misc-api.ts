// Endpoints the SDK calls on the side (console log events, server info); the test server accepts
// them and keeps what tests may want to look at.
import { optObjects, reqString, requireFields, type JsonObject } from './api-error';
import type { HandlerTable } from './handler';
import { SERVER_API_VERSION, SERVER_VERSION } from './auth';

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
  'server.info': (): JsonObject => ({ version: SERVER_VERSION, build: 'test', commit: 'test', api_version: SERVER_API_VERSION }),
  'debug.ping': (): JsonObject => ({ msg: 'ClearML server' }),
};
