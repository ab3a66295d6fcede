// RFC 9457 problem details: the one error vocabulary of both Workers. Codes, statuses and titles
// come from the registry in problem-codes.ts.
import { PROBLEMS, type ProblemCode, type ProblemStatus } from "./problem-codes.ts";

export { PROBLEM_CODES, PROBLEMS, problemCodesOf, type ProblemCode, type ProblemStatus } from "./problem-codes.ts";

/** The body of an `application/problem+json` answer (RFC 9457 §3) with Laurel's `code` and `requestId`. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: ProblemCode;
  requestId: string;
  /** For validation errors: each offending field and the rule it broke. */
  errors?: { field: string; rule: string; detail?: string }[];
}

/** Extra members and headers of one answer. */
export interface ProblemExtra {
  errors?: Problem["errors"];
  headers?: Record<string, string>;
}

export const PROBLEM_TYPE_BASE = "https://laurel.dev/problems/";

/** The problem type URI of a code (RFC 9457 §3.1.1): the code in kebab case under PROBLEM_TYPE_BASE. */
export function problemType(code: ProblemCode): string {
  return PROBLEM_TYPE_BASE + code.toLowerCase().replaceAll("_", "-");
}

/**
 * The one typed error domain code throws; each Worker's error handler maps it to a problem answer.
 * `status` must be the one the registry gives `code` (checked by the compiler; it keeps call sites
 * readable), and the answer always uses the registry's.
 */
export class AppError<C extends ProblemCode = ProblemCode> extends Error {
  readonly status: ProblemStatus;
  readonly code: C;
  readonly errors?: Problem["errors"];
  readonly headers?: Record<string, string>;

  constructor(_status: ProblemStatus<C>, code: C, detail: string, extra?: ProblemExtra) {
    super(detail);
    this.name = "AppError";
    this.status = PROBLEMS[code].status;
    this.code = code;
    this.errors = extra?.errors;
    this.headers = extra?.headers;
  }
}

/**
 * Builds the problem body; for 5xx the detail is always generic (internal messages stay in the logs).
 * As with AppError, `status` is checked against the registry by the compiler and the registry's is used.
 */
export function problemBody<C extends ProblemCode>(
  _status: ProblemStatus<C>,
  code: C,
  detail: string,
  requestId: string,
  errors?: Problem["errors"],
): Problem {
  const { status: registered, title } = PROBLEMS[code];
  const safeDetail = registered >= 500 ? "An internal error occurred. Quote the request id when reporting it." : detail;
  const body: Problem = { type: problemType(code), title, status: registered, detail: safeDetail, code, requestId };
  if (errors?.length) body.errors = errors;
  return body;
}

/** A complete `application/problem+json` Response. */
export function problemResponse<C extends ProblemCode>(
  status: ProblemStatus<C>,
  code: C,
  detail: string,
  requestId: string,
  extra?: ProblemExtra,
): Response {
  return problemJson(problemBody(status, code, detail, requestId, extra?.errors), extra?.headers);
}

/** Serialises a problem body as the `application/problem+json` Response of its status. */
export function problemJson(body: Problem, headers?: Record<string, string>): Response {
  return new Response(JSON.stringify(body), {
    status: body.status,
    headers: { "content-type": "application/problem+json", "x-request-id": body.requestId, ...headers },
  });
}

/** Maps any thrown value to a problem Response: AppError keeps its status and code, anything else is a 500. */
export function problemFromError(error: unknown, requestId: string): Response {
  if (error instanceof AppError) {
    const { code } = error as AppError;
    return problemResponse(PROBLEMS[code].status, code, error.message, requestId, { errors: error.errors, headers: error.headers });
  }
  return problemResponse(500, "INTERNAL_ERROR", "", requestId);
}
