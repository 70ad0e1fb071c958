// Errors a request handler raises on purpose; they cross the boundary as { code, message }.

export type ErrorCode = 'invalid-argument' | 'not-found' | 'forbidden' | 'unavailable' | 'conflict' | 'failed';

/** An expected failure of a request, with a message for the user. */
export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'AppError';
  }
}
