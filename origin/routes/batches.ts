// Batch issuance: POST /v1/credentials/batch accepts up to 10,000 recipients as JSON or CSV,
// stores every row, answers 202 at once and leaves the issuing to the queue (batch.issue jobs);
// GET /v1/batches/{id} reports progress and the rows that failed.
import { createRoute, z, type OpenAPIHono } from "@hono/zod-openapi";
import type { MiddlewareHandler } from "hono";
import { AppError } from "../../shared/http/problem.ts";
import { apiKeyAuth } from "../auth/api-key.ts";
import { scopeSecurity } from "../auth/scopes.ts";
import { database } from "../db/client.ts";
import type { OriginHono } from "../env.ts";
import { mediaTypeOf, readBodyCapped } from "../../shared/http/body.ts";
import { cacheBody, decodeUtf8 } from "../http/body.ts";
import { IdempotencyHeaders, problems } from "../http/openapi.ts";
import { isUuid } from "../../shared/ids.ts";
import { findAchievement } from "../services/achievements/achievements.ts";
import { checkRows, MAX_BATCH_BODY_BYTES, MAX_BATCH_RECIPIENTS, recipientsFromCsv, recipientsFromJson } from "../services/batches/intake.ts";
import { batchStatus } from "../services/batches/store.ts";
import { submitBatch } from "../services/batches/submit.ts";
import { idempotent } from "../services/idempotency/index.ts";
import { RecipientEmail, RecipientName } from "../services/issuance/recipient.ts";
import { validationFailed } from "../validation.ts";
import { IdParam } from "./schemas.ts";

/** JSON or CSV, at most MAX_BATCH_BODY_BYTES, valid UTF-8; cached for the fingerprint and the handler. */
function batchBody(): MiddlewareHandler<OriginHono> {
  return async (c, next) => {
    const type = mediaTypeOf(c.req.header("content-type"));
    if (type !== "application/json" && type !== "text/csv") {
      throw new AppError(415, "UNSUPPORTED_MEDIA_TYPE", `Send the batch as application/json or text/csv (got ${type || "no content type"}).`);
    }
    const bytes = await readBodyCapped(c.req.raw, MAX_BATCH_BODY_BYTES);
    let text: string;
    try {
      text = decodeUtf8(bytes);
    } catch {
      throw new AppError(400, type === "text/csv" ? "CSV_MALFORMED" : "MALFORMED_JSON", "The request body is not valid UTF-8.");
    }
    if (type === "application/json") {
      try {
        c.set("batchJson", JSON.parse(text));
      } catch {
        throw new AppError(400, "MALFORMED_JSON", "The request body is not valid JSON.");
      }
    }
    cacheBody(c, bytes, text);
    await next();
  };
}

// Documents a row with the recipient rules it is checked by (checkRows); a date-only validUntil means midnight UTC.
const Recipient = z
  .object({ name: RecipientName, email: RecipientEmail, validUntil: z.string().optional().openapi({ example: "2027-06-30" }) })
  .openapi("BatchRecipient", { description: "A row that breaks a rule is stored as failed (see errors), not refused." });

const BatchRequest = z
  .object({ achievementId: z.string().uuid(), recipients: z.array(Recipient).min(1).max(MAX_BATCH_RECIPIENTS) })
  .openapi("BatchRequest");

const BatchStatus = z.enum(["queued", "running", "completed", "completed_with_errors"]);

const BatchAccepted = z
  .object({ id: z.string().uuid(), status: BatchStatus, total: z.number().int() })
  .openapi("BatchAccepted");

const BatchProgress = z
  .object({
    id: z.string().uuid(),
    status: BatchStatus,
    total: z.number().int(),
    issued: z.number().int(),
    failed: z.number().int(),
    errors: z.array(z.object({ row: z.number().int(), code: z.string(), detail: z.string() })),
  })
  .openapi("BatchProgress");

const createBatchRoute = createRoute({
  method: "post",
  path: "/v1/credentials/batch",
  tags: ["Credentials"],
  summary: "Issue credentials to many recipients",
  description:
    `Up to ${MAX_BATCH_RECIPIENTS} recipients, as JSON {achievementId, recipients} or as text/csv with a header ` +
    "name,email[,validUntil] and ?achievementId=. Every row is checked at once: bad rows are reported by " +
    "GET /v1/batches/{id} with their row number, good rows are issued in the background.",
  security: scopeSecurity("issue"),
  middleware: [apiKeyAuth("issue"), batchBody(), idempotent()] as const,
  request: {
    headers: IdempotencyHeaders,
    query: z.object({ achievementId: z.string().optional().openapi({ description: "Required with text/csv." }) }),
    body: {
      required: true,
      content: {
        // Plain references, not zod schemas: the handler checks the body itself, so that a bad
        // recipient becomes a failed row instead of failing the whole batch.
        "application/json": { schema: { $ref: "#/components/schemas/BatchRequest" } },
        "text/csv": { schema: { type: "string", example: "name,email,validUntil\nAda Lovelace,ada@example.org,2027-06-30\n" } },
      },
    },
  },
  responses: {
    202: { description: "Accepted; issuing in the background", content: { "application/json": { schema: BatchAccepted } } },
    ...problems(400, 401, 403, 404, 409, 413, 415, 422, 503),
  },
});

const getBatchRoute = createRoute({
  method: "get",
  path: "/v1/batches/{id}",
  tags: ["Credentials"],
  summary: "Progress of a batch",
  security: scopeSecurity("read"),
  middleware: [apiKeyAuth("read")] as const,
  request: { params: IdParam },
  responses: {
    200: { description: "The batch", content: { "application/json": { schema: BatchProgress } } },
    ...problems(401, 403, 404),
  },
});

/** Registers POST /v1/credentials/batch and GET /v1/batches/{id}. */
export function registerBatchRoutes(app: OpenAPIHono<OriginHono>) {
  app.openAPIRegistry.register("BatchRequest", BatchRequest);

  app.openapi(createBatchRoute, async (c) => {
    const rc = c.var.rc;
    rc.operation = "credentials.batch";
    const org = c.var.org;
    const csv = mediaTypeOf(c.req.header("content-type")) === "text/csv";
    let achievementId: string;
    let raw;
    if (csv) {
      const fromQuery = c.req.query("achievementId");
      if (!fromQuery) throw validationFailed("query", [{ field: "achievementId", rule: "required", detail: "is required with text/csv" }]);
      achievementId = fromQuery;
      raw = recipientsFromCsv(await c.req.text());
    } else {
      ({ achievementId, recipients: raw } = recipientsFromJson(c.var.batchJson));
    }

    const db = database(c.env);
    const achievement = isUuid(achievementId) ? await findAchievement(db, org.id, achievementId) : null;
    if (!achievement) throw new AppError(404, "ACHIEVEMENT_NOT_FOUND", "This org has no achievement with that id.");

    const rows = checkRows(raw, new Date());
    // The Idempotency-Key answer commits with the batch (services/batches/submit.ts); c.json below
    // serializes the same object the same way, so a replay is byte for byte this answer.
    const claim = c.var.idempotency;
    const { accepted, pending, jobs, storedAnswer } = await submitBatch(
      c.env,
      { orgId: org.id, achievementId: achievement.id, rows, requestId: rc.requestId, log: rc.log },
      claim ? { claim, answer: (a) => ({ status: 202, body: JSON.stringify(a) }) } : undefined,
    );
    rc.log.info("batch accepted", { batchId: accepted.id, total: rows.length, pending, jobs, csv });
    if (storedAnswer) c.set("idempotentAnswerStored", storedAnswer);
    c.header("location", `/v1/batches/${accepted.id}`);
    return c.json(accepted, 202);
  });

  app.openapi(getBatchRoute, async (c) => {
    c.var.rc.operation = "batches.get";
    const { id } = c.req.valid("param");
    const found = isUuid(id) ? await batchStatus(database(c.env), c.var.org.id, id.toLowerCase()) : null;
    if (!found) throw new AppError(404, "NOT_FOUND", "This org has no batch with that id.");
    const { id: batchId, status, total, issued, failed, errors } = found;
    return c.json({ id: batchId, status, total, issued, failed, errors }, 200);
  });
}
