// The one registry of problem codes both Workers answer with (RFC 9457 §3.1: a problem type has a
// fixed status and title). AppError and problemResponse accept only these codes, with their status;
// the origin's OpenAPI document and docs/api.md "Error codes" list them from here (a test checks the doc).

/** Which Worker answers a code: the issuer API (origin), public verification (edge) or both. */
export type ProblemWorker = "origin" | "edge" | "both";

interface ProblemDefinition {
  readonly status: number;
  readonly title: string;
  readonly worker: ProblemWorker;
}

/** Every problem code, UPPER_SNAKE, with its HTTP status, its title (RFC 9457 §3.1.3) and its Worker. */
export const PROBLEMS = {
  // 400
  BAD_REQUEST: { status: 400, title: "Bad request", worker: "origin" },
  VALIDATION_FAILED: { status: 400, title: "Validation failed", worker: "origin" },
  MALFORMED_JSON: { status: 400, title: "Malformed JSON body", worker: "origin" },
  CSV_MALFORMED: { status: 400, title: "Malformed CSV body", worker: "origin" },
  CSV_COLUMNS: { status: 400, title: "Unexpected CSV columns", worker: "origin" },
  EMPTY_BATCH: { status: 400, title: "Empty batch", worker: "origin" },
  IDEMPOTENCY_KEY_MISSING: { status: 400, title: "Idempotency-Key missing", worker: "origin" },
  IDEMPOTENCY_KEY_INVALID: { status: 400, title: "Idempotency-Key invalid", worker: "origin" },
  MISSING_URL: { status: 400, title: "url parameter missing", worker: "edge" },
  // 400 at POST /api/v1/verify: the verifier's input codes (shared/verify/input.ts, shared/bake/errors.ts).
  UNSUPPORTED_INPUT: { status: 400, title: "Unsupported verifier input", worker: "edge" },
  MALFORMED_JWT: { status: 400, title: "Malformed JWT", worker: "edge" },
  TOO_LARGE: { status: 400, title: "Input too large", worker: "edge" },
  INVALID_JSON: { status: 400, title: "Invalid JSON input", worker: "edge" },
  JSON_TOO_DEEP: { status: 400, title: "JSON nested too deeply", worker: "edge" },
  NOT_PNG: { status: 400, title: "Not a PNG image", worker: "edge" },
  NOT_SVG: { status: 400, title: "Not an SVG image", worker: "edge" },
  TRUNCATED: { status: 400, title: "Truncated image", worker: "edge" },
  BAD_CRC: { status: 400, title: "PNG chunk checksum mismatch", worker: "edge" },
  MALFORMED_CHUNK: { status: 400, title: "Malformed PNG chunk", worker: "edge" },
  NO_CREDENTIAL: { status: 400, title: "No baked credential", worker: "edge" },
  DUPLICATE_CREDENTIAL: { status: 400, title: "More than one baked credential", worker: "edge" },
  NOT_PDF: { status: 400, title: "Not a PDF document", worker: "edge" },
  MALFORMED_PDF: { status: 400, title: "Malformed PDF document", worker: "edge" },
  COMPRESSED_CREDENTIAL: { status: 400, title: "Compressed baked credential", worker: "edge" },
  INVALID_CREDENTIAL_TEXT: { status: 400, title: "Baked credential is not text", worker: "edge" },
  // 401, 403
  UNAUTHORIZED: { status: 401, title: "Unauthorized", worker: "origin" },
  FORBIDDEN: { status: 403, title: "Forbidden", worker: "origin" },
  INSUFFICIENT_SCOPE: { status: 403, title: "Insufficient scope", worker: "origin" },
  // 404
  NOT_FOUND: { status: 404, title: "Not found", worker: "both" },
  ACHIEVEMENT_NOT_FOUND: { status: 404, title: "Achievement not found", worker: "origin" },
  CREDENTIAL_NOT_FOUND: { status: 404, title: "Credential not found", worker: "edge" },
  ISSUER_NOT_FOUND: { status: 404, title: "Issuer not found", worker: "edge" },
  STATUS_LIST_NOT_FOUND: { status: 404, title: "Status list not found", worker: "edge" },
  // 409
  IDEMPOTENCY_KEY_IN_FLIGHT: { status: 409, title: "Idempotency-Key in flight", worker: "origin" },
  SLUG_TAKEN: { status: 409, title: "Slug taken", worker: "origin" },
  TOO_MANY_API_KEYS: { status: 409, title: "Too many API keys", worker: "origin" },
  KEY_CHANGED: { status: 409, title: "Signing keys changed", worker: "origin" },
  ACCOUNT_SETUP_PENDING: { status: 409, title: "Account setup pending", worker: "origin" },
  TOO_MANY_WEBHOOKS: { status: 409, title: "Too many webhook endpoints", worker: "origin" },
  MEMBER_EXISTS: { status: 409, title: "Member exists", worker: "origin" },
  // 413 (RFC 9110 §15.5.14 "Content Too Large"), 415, 422, 429
  PAYLOAD_TOO_LARGE: { status: 413, title: "Payload too large", worker: "both" },
  TOO_MANY_RECIPIENTS: { status: 413, title: "Too many recipients", worker: "origin" },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, title: "Unsupported media type", worker: "both" },
  IDEMPOTENCY_KEY_REUSED: { status: 422, title: "Idempotency-Key reused", worker: "origin" },
  URL_NOT_ALLOWED: { status: 422, title: "URL not allowed", worker: "origin" },
  IMAGE_NOT_ACCEPTED: { status: 422, title: "Image not accepted", worker: "origin" },
  RATE_LIMITED: { status: 429, title: "Rate limited", worker: "edge" },
  // 5xx
  INTERNAL_ERROR: { status: 500, title: "Internal error", worker: "both" },
  NOT_IMPLEMENTED: { status: 501, title: "Not implemented", worker: "edge" },
  DATABASE_UNAVAILABLE: { status: 503, title: "Database unavailable", worker: "origin" },
  QUEUE_UNAVAILABLE: { status: 503, title: "Queue unavailable", worker: "origin" },
  ADMIN_DISABLED: { status: 503, title: "Admin calls disabled", worker: "origin" },
  NOT_CONFIGURED: { status: 503, title: "Not configured", worker: "both" },
  CARD_UNAVAILABLE: { status: 503, title: "Social card unavailable", worker: "edge" },
  CERTIFICATE_UNAVAILABLE: { status: 503, title: "Certificate unavailable", worker: "edge" },
  CREDENTIAL_PROOF_PENDING: { status: 503, title: "Data Integrity proof not published yet", worker: "edge" },
} as const satisfies Record<string, ProblemDefinition>;

/** A registered problem code. */
export type ProblemCode = keyof typeof PROBLEMS;

/** The HTTP status registered for `C`; call sites that name a status are checked against it. */
export type ProblemStatus<C extends ProblemCode = ProblemCode> = (typeof PROBLEMS)[C]["status"];

/** Every registered code, in registry order. */
export const PROBLEM_CODES = Object.keys(PROBLEMS) as [ProblemCode, ...ProblemCode[]];

/** The codes `worker` can answer (those it answers alone and those both Workers answer). */
export function problemCodesOf(worker: "origin" | "edge"): ProblemCode[] {
  return PROBLEM_CODES.filter((code) => PROBLEMS[code].worker === worker || PROBLEMS[code].worker === "both");
}
