// Runs one contract request: validates the argument against the contract's schema, calls the
// handler, and turns every failure into { ok: false, error } so nothing but data crosses over.
import type { z } from 'zod';
import {
  requestSchemas,
  type ParsedArg,
  type RequestName,
  type RequestResult,
  type Result,
} from '../../src-preload/contract';
import { AppError } from './app-error';

const EXPECTED_CODES: ReadonlySet<string> = new Set(['invalid-argument', 'not-found', 'forbidden', 'unavailable', 'conflict']);

/** One handler per request; a missing one does not compile. */
export type Handlers = {
  readonly [N in RequestName]: (arg: ParsedArg<N>) => Promise<RequestResult<N>> | RequestResult<N>;
};

/** True when `name` is a request of the contract. */
export function isRequestName(name: string): name is RequestName {
  return Object.prototype.hasOwnProperty.call(requestSchemas, name);
}

function describeIssue(error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return 'invalid argument';
  const where = issue.path.length > 0 ? `${issue.path.join('.')}: ` : '';
  return `${where}${issue.message}`;
}

/** Validates and runs a request; never throws. `log` receives unexpected errors with their stack. */
export async function dispatch(
  handlers: Handlers,
  name: string,
  rawArg: unknown,
  log: (message: string) => void = () => undefined,
): Promise<Result<unknown>> {
  if (!isRequestName(name)) return { ok: false, error: { code: 'not-found', message: `unknown request "${name}"` } };
  const parsed = requestSchemas[name].safeParse(rawArg);
  if (!parsed.success) {
    return { ok: false, error: { code: 'invalid-argument', message: `${name}: ${describeIssue(parsed.error)}` } };
  }
  try {
    const handler = handlers[name] as (arg: unknown) => unknown;
    const value = await handler(parsed.data);
    return { ok: true, value: value ?? null };
  } catch (error) {
    // Expected failures carry a code: AppError here, and the core modules' own error classes
    // (which cannot import this layer) use the same shape.
    const code = error instanceof Error ? (error as { code?: unknown }).code : undefined;
    if (error instanceof AppError || (typeof code === 'string' && EXPECTED_CODES.has(code))) {
      return { ok: false, error: { code: code as string, message: (error as Error).message } };
    }
    log(`request ${name} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    return { ok: false, error: { code: 'failed', message: error instanceof Error ? error.message : String(error) } };
  }
}
