// RFC 9457 problem details: the one error vocabulary of both Workers.

/** The body of an `application/problem+json` answer (RFC 9457 §3) with Laurel's `code` and `requestId`. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: string;
  requestId: string;
  /** For validation errors: each offending field and the rule it broke. */
  errors?: { field: string; rule: string; detail?: string }[];
}

export const PROBLEM_TYPE_BASE = "https://laurel.dev/problems/";

const TITLES: Record<number, string> = {
  400: "Bad Request",
  401: "Unauthorized",
  403: "Forbidden",
  404: "Not Found",
  405: "Method Not Allowed",
  409: "Conflict",
  413: "Content Too Large",
  415: "Unsupported Media Type",
  422: "Unprocessable Content",
  429: "Too Many Requests",
  500: "Internal Server Error",
  502: "Bad Gateway",
  503: "Service Unavailable",
};

/** The one typed error domain code throws; each Worker's error handler maps it to a problem answer. */
export class AppError extends Error {
  readonly status: number;
  readonly code: string;
  readonly errors?: Problem["errors"];
  readonly headers?: Record<string, string>;

  constructor(
    status: number,
    code: string,
    detail: string,
    extra?: { errors?: Problem["errors"]; headers?: Record<string, string> },
  ) {
    super(detail);
    this.name = "AppError";
    this.status = status;
    this.code = code;
    this.errors = extra?.errors;
    this.headers = extra?.headers;
  }
}

/** Builds the problem body; for 5xx the detail is always generic (internal messages stay in the logs). */
export function problemBody(status: number, code: string, detail: string, requestId: string, errors?: Problem["errors"]): Problem {
  const safeDetail = status >= 500 ? "An internal error occurred. Quote the request id when reporting it." : detail;
  const body: Problem = {
    type: PROBLEM_TYPE_BASE + code.toLowerCase().replaceAll("_", "-"),
    title: TITLES[status] ?? "Error",
    status,
    detail: safeDetail,
    code,
    requestId,
  };
  if (errors?.length) body.errors = errors;
  return body;
}

/** A complete `application/problem+json` Response. */
export function problemResponse(
  status: number,
  code: string,
  detail: string,
  requestId: string,
  extra?: { errors?: Problem["errors"]; headers?: Record<string, string> },
): Response {
  return new Response(JSON.stringify(problemBody(status, code, detail, requestId, extra?.errors)), {
    status,
    headers: { "content-type": "application/problem+json", "x-request-id": requestId, ...extra?.headers },
  });
}

/** Maps any thrown value to a problem Response: AppError keeps its status and code, anything else is a 500. */
export function problemFromError(error: unknown, requestId: string): Response {
  if (error instanceof AppError) {
    return problemResponse(error.status, error.code, error.message, requestId, { errors: error.errors, headers: error.headers });
  }
  return problemResponse(500, "INTERNAL_ERROR", "", requestId);
}
