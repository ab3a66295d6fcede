// Schemas every route's OpenAPI description shares: the problem+json error and its responses.
import { z } from "@hono/zod-openapi";
import { PROBLEMS, problemCodesOf, type ProblemStatus } from "../../shared/http/problem-codes.ts";

/** The codes the issuer API answers, in registry order (shared/http/problem-codes.ts). */
const ORIGIN_CODES = problemCodesOf("origin");

/** RFC 9457 problem details as Laurel answers them (shared/http/problem.ts). */
export const ProblemSchema = z
  .object({
    type: z.string().openapi({ example: "https://laurel.dev/problems/validation-failed" }),
    title: z.string().openapi({ example: "Validation failed" }),
    status: z.number().int().openapi({ example: 400 }),
    detail: z.string(),
    code: z
      .enum(ORIGIN_CODES as [string, ...string[]])
      .openapi({ description: "Stable UPPER_SNAKE error code; its status and title are fixed.", example: "VALIDATION_FAILED" }),
    requestId: z.string(),
    errors: z
      .array(z.object({ field: z.string(), rule: z.string(), detail: z.string().optional() }))
      .optional()
      .openapi({ description: "For VALIDATION_FAILED: each offending field and the rule it broke." }),
  })
  .openapi("Problem");

/** "Validation failed (VALIDATION_FAILED), …" for every origin code answered with `status`. */
function describeStatus(status: ProblemStatus): string {
  const codes = ORIGIN_CODES.filter((code) => PROBLEMS[code].status === status);
  return codes.map((code) => `${PROBLEMS[code].title} (${code})`).join("; ") || "Error";
}

/** problem+json responses for the given statuses, for a route's `responses`; each lists its codes. */
export function problems(...statuses: ProblemStatus[]) {
  return Object.fromEntries(
    statuses.map((status) => [
      status,
      { description: describeStatus(status), content: { "application/problem+json": { schema: ProblemSchema } } },
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
