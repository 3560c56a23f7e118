/**
 * Errors a service throws to choose the HTTP answer. The error handler turns them into an
 * `ApiError` body; anything else is a 500 whose details stay in the log.
 */
export class HttpError extends Error {
  constructor(
    readonly statusCode: number,
    message: string,
    /** Seconds, sent as `Retry-After` (503). */
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

export const notFound = (message: string) => new HttpError(404, message);
export const badRequest = (message: string) => new HttpError(400, message);
export const unavailable = (message: string, retryAfterSeconds = 5) => new HttpError(503, message, retryAfterSeconds);
