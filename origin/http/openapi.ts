// Schemas every route's OpenAPI description shares: the problem+json error and its responses.
import { z } from "@hono/zod-openapi";

/** RFC 9457 problem details as Laurel answers them (shared/http/problem.ts). */
export const ProblemSchema = z
  .object({
    type: z.string().openapi({ example: "https://laurel.dev/problems/validation-failed" }),
    title: z.string().openapi({ example: "Bad Request" }),
    status: z.number().int().openapi({ example: 400 }),
    detail: z.string(),
    code: z.string().openapi({ description: "Stable UPPER_SNAKE error code.", example: "VALIDATION_FAILED" }),
    requestId: z.string(),
    errors: z
      .array(z.object({ field: z.string(), rule: z.string(), detail: z.string().optional() }))
      .optional()
      .openapi({ description: "For VALIDATION_FAILED: each offending field and the rule it broke." }),
  })
  .openapi("Problem");

const DESCRIPTIONS: Record<number, string> = {
  400: "Invalid request (VALIDATION_FAILED, MALFORMED_JSON, IDEMPOTENCY_KEY_MISSING, …)",
  401: "Missing or invalid credentials (UNAUTHORIZED)",
  403: "Not allowed (FORBIDDEN; INSUFFICIENT_SCOPE: the API key lacks the scope the route needs)",
  404: "Not found, or owned by another org (NOT_FOUND)",
  409: "Conflict",
  413: "Body too large (PAYLOAD_TOO_LARGE)",
  415: "Body is not application/json (UNSUPPORTED_MEDIA_TYPE)",
  422: "Idempotency-Key reused with a different request (IDEMPOTENCY_KEY_REUSED)",
  503: "Database not answering (DATABASE_UNAVAILABLE, with Retry-After; any route) or not configured (ADMIN_DISABLED, NOT_CONFIGURED)",
};

/** problem+json responses for the given statuses, for a route's `responses`. */
export function problems(...statuses: number[]) {
  return Object.fromEntries(
    statuses.map((status) => [
      status,
      { description: DESCRIPTIONS[status] ?? "Error", content: { "application/problem+json": { schema: ProblemSchema } } },
    ]),
  );
}

/** The bearer API key every /v1 call except org creation uses. */
export const API_KEY_SECURITY = [{ apiKey: [] }];
/** The admin token of operator calls. */
export const ADMIN_SECURITY = [{ adminToken: [] }];

/** The `Idempotency-Key` request header, for POSTs that require it. */
export const IdempotencyHeaders = z.object({
  "idempotency-key": z
    .string()
    .openapi({
      // Lower case: the name must equal the key Hono validates (header names are case-insensitive).
      param: { name: "idempotency-key", in: "header", required: true },
      description: "Unique per request (a UUID); repeats with the same body replay the first answer for 24 h.",
      example: "4f0b6f3e-8d7b-4f37-9d43-52b0a2b8e6a1",
    }),
});
