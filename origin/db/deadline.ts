// Deadlines for every database call. @libsql/client has no timeout of its own: against a database
// that accepts connections but never answers (a paused server, a network partition) a call waits
// forever, and so does the request holding it. Every HTTP round trip of the client goes through
// `deadlineFetch`, which gives up after the deadline; the origin then answers 503
// DATABASE_UNAVAILABLE (app.ts) instead of hanging.

/** Default per-call deadline: a stalled call fails well inside the 5 s an API answer may take. */
export const DEFAULT_DATABASE_TIMEOUT_MS = 3000;

/** Seconds a client should wait before retrying after DATABASE_UNAVAILABLE (Retry-After). */
export const DATABASE_RETRY_AFTER_SECONDS = 5;

/** The database did not answer in time, refused the connection, or answered 502/503/504. */
export class DatabaseUnavailableError extends Error {
  readonly code = "DATABASE_UNAVAILABLE";
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "DatabaseUnavailableError";
  }
}

/** True when `error` or anything in its cause chain (drizzle wraps driver errors) is a DatabaseUnavailableError. */
export function isDatabaseUnavailable(error: unknown): boolean {
  for (let e = error, depth = 0; e instanceof Error && depth < 5; e = e.cause, depth++) {
    if (e instanceof DatabaseUnavailableError) return true;
  }
  return false;
}

/**
 * A `fetch` for `createClient({ fetch })`: the whole exchange (connect, send, headers and body,
 * which the client reads right after) is bounded by `timeoutMs`; any network failure or gateway
 * answer becomes a DatabaseUnavailableError. Other answers (4xx, SQL errors) pass through as they are.
 */
export function deadlineFetch(timeoutMs: number): (request: Request) => Promise<Response> {
  return async (request) => {
    let response: Response;
    try {
      response = await fetch(request, { signal: AbortSignal.timeout(timeoutMs) });
    } catch (error) {
      const timedOut = error instanceof Error && (error.name === "TimeoutError" || error.name === "AbortError");
      throw new DatabaseUnavailableError(
        timedOut ? `the database did not answer within ${timeoutMs} ms` : "the database could not be reached",
        { cause: error },
      );
    }
    if (response.status === 502 || response.status === 503 || response.status === 504) {
      await response.body?.cancel();
      throw new DatabaseUnavailableError(`the database answered HTTP ${response.status}`);
    }
    return response;
  };
}
