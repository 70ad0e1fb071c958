// The test server's error type and the typed readers of request fields. Errors carry the real
// server's result codes, so clients see the same envelope they would get from a ClearML server.

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

/** An API failure answered as an envelope with this code, subcode and message. */
export class ApiError extends Error {
  constructor(
    readonly code: number,
    readonly subcode: number,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** True for a plain JSON object (not an array, not null). */
export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function typeError(field: string, expected: string): ApiError {
  return new ApiError(400, 12, `Validation error (invalid type for field '${field}', expected ${expected})`);
}

/** Fails with the real server's "missing required fields" answer when any field is absent. */
export function requireFields(body: JsonObject, fields: readonly string[]): void {
  const missing = fields.filter((f) => body[f] === undefined || body[f] === null);
  if (missing.length > 0) {
    throw new ApiError(400, 11, `Validation error (missing required fields: ${missing.join(', ')})`);
  }
}

/** A string field, or undefined when absent. */
export function optString(body: JsonObject, field: string): string | undefined {
  const value = body[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw typeError(field, 'string');
  return value;
}

/** A required string field. */
export function reqString(body: JsonObject, field: string): string {
  requireFields(body, [field]);
  return optString(body, field)!;
}

/** A boolean field, or undefined when absent. */
export function optBool(body: JsonObject, field: string): boolean | undefined {
  const value = body[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'boolean') throw typeError(field, 'boolean');
  return value;
}

/** A number field, or undefined when absent. */
export function optNumber(body: JsonObject, field: string): number | undefined {
  const value = body[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number') throw typeError(field, 'number');
  return value;
}

/** A list of strings; a single string counts as a one-element list, as the server allows. */
export function optStrings(body: JsonObject, field: string): string[] | undefined {
  const value = body[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string') return [value];
  if (!Array.isArray(value) || value.some((v) => typeof v !== 'string')) throw typeError(field, 'array of strings');
  return value as string[];
}

/** An object field, or undefined when absent. */
export function optObject(body: JsonObject, field: string): JsonObject | undefined {
  const value = body[field];
  if (value === undefined || value === null) return undefined;
  if (!isObject(value)) throw typeError(field, 'object');
  return value;
}

/** An array-of-objects field, or undefined when absent. */
export function optObjects(body: JsonObject, field: string): JsonObject[] | undefined {
  const value = body[field];
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value) || value.some((v) => !isObject(v))) throw typeError(field, 'array of objects');
  return value as JsonObject[];
}
