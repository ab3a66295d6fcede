// Credentials: issue one (POST /v1/credentials, idempotent), read, list and revoke.
import { createRoute, z, type OpenAPIHono } from "@hono/zod-openapi";
import { AppError } from "../../shared/http/problem.ts";
import { apiKeyAuth } from "../auth/api-key.ts";
import { scopeSecurity } from "../auth/scopes.ts";
import { database } from "../db/client.ts";
import type { OriginHono } from "../env.ts";
import { jsonBody } from "../http/body.ts";
import { IdempotencyHeaders, problems } from "../http/openapi.ts";
import { decodeCursor, PageQuery, pageOf } from "../http/pagination.ts";
import { findAchievement } from "../services/achievements/achievements.ts";
import { credentialJsonOfJwt } from "../../shared/vc-jwt/credential-json.ts";
import { storedProof } from "../services/publication/data-integrity.ts";
import { credentialView, findCredential, listCredentials } from "../services/credentials/credentials.ts";
import { revokeCredential } from "../services/credentials/revoke.ts";
import { idempotent } from "../services/idempotency/index.ts";
import { issueCredentials, type IssuedCredential } from "../services/issuance/issue.ts";
import { checkValidityPeriod, EMAIL_MAX, RecipientEmail, RecipientName, ValidityDate } from "../services/issuance/recipient.ts";
import { publicBaseUrl } from "../services/publication/public-url.ts";
import { enqueueAfterCommit } from "../services/jobs/enqueue.ts";
import { kickWebhooks } from "../queues/webhooks.ts";
import { validationFailed } from "../validation.ts";
import { NotificationSchema } from "./notifications.ts";
import { notificationsOf } from "../services/notifications/store.ts";
import { IdParam } from "./schemas.ts";

const Recipient = z.object({
  name: RecipientName,
  email: RecipientEmail.openapi({ description: "Stored privately; the credential carries only a salted hash." }),
});

const CreateCredentialBody = z
  .object({
    achievementId: z.string().min(1).max(64).openapi({ description: "An achievement of your org (404 otherwise)." }),
    recipient: Recipient,
    validFrom: ValidityDate.optional().openapi({ description: "Defaults to now." }),
    validUntil: ValidityDate.optional().openapi({ description: "Must be after validFrom." }),
  })
  .superRefine(checkValidityPeriod)
  .openapi("CreateCredentialRequest");

const IssuedCredential = z
  .object({
    id: z.string().uuid(),
    status: z.literal("active"),
    verifyUrl: z.string().openapi({ format: "uri" }),
    jwt: z.string().openapi({ description: "The OB 3.0 credential as a compact VC-JWT (ES256)." }),
  })
  .openapi("IssuedCredential");

const CredentialSchema = z
  .object({
    id: z.string().uuid(),
    status: z.enum(["active", "revoked"]),
    revocationReason: z.string().optional(),
    revokedAt: z.string().nullable().optional().openapi({ format: "date-time" }),
    jwt: z.string(),
    verifyUrl: z.string(),
    achievementId: z.string(),
    recipient: z.object({ name: z.string(), email: z.string() }),
    validFrom: z.string().openapi({ format: "date-time" }),
    validUntil: z.string().nullable(),
    issuedAt: z.string().openapi({ format: "date-time" }),
    statusListId: z.string(),
    statusIndex: z.number().int(),
    batchId: z.string().optional(),
    notifications: z
      .array(NotificationSchema)
      .optional()
      .openapi({ description: "GET /v1/credentials/{id} only: the recipient's emails about this credential and their status." }),
    credential: z
      .record(z.string(), z.unknown())
      .optional()
      .openapi({
        description:
          "GET /v1/credentials/{id} only: the credential as JSON (the VC-JWT's content, as `/c/{id}.json` serves it), " +
          "with its Data Integrity `proof` (eddsa-rdfc-2022) once publication added it, seconds after issuance; without a proof until then.",
      }),
  })
  .openapi("Credential");

const RevokeBody = z
  .object({ reason: z.string().trim().min(1).max(500).openapi({ example: "Issued in error" }) })
  .openapi("RevokeRequest");

const Revoked = z
  .object({
    id: z.string(),
    status: z.literal("revoked"),
    revocationReason: z.string(),
    revokedAt: z.string().openapi({ format: "date-time" }),
  })
  .openapi("RevokedCredential");

const issueRoute = createRoute({
  method: "post",
  path: "/v1/credentials",
  tags: ["Credentials"],
  summary: "Issue a credential",
  description:
    "Signs an OB 3.0 OpenBadgeCredential (VC-JWT) for one recipient. Requires Idempotency-Key: a repeat with the same body " +
    "replays the first answer with `Idempotency-Replayed: true`; a different body answers 422; a repeat while the first " +
    "is running answers 409. An unknown achievement (or another org's) answers 404 ACHIEVEMENT_NOT_FOUND.",
  security: scopeSecurity("issue"),
  middleware: [apiKeyAuth("issue"), jsonBody(), idempotent()] as const,
  request: {
    headers: IdempotencyHeaders,
    body: { required: true, content: { "application/json": { schema: CreateCredentialBody } } },
  },
  responses: {
    201: { description: "Issued", content: { "application/json": { schema: IssuedCredential } } },
    ...problems(400, 401, 403, 404, 409, 413, 415, 422),
  },
});

const getRoute = createRoute({
  method: "get",
  path: "/v1/credentials/{id}",
  tags: ["Credentials"],
  summary: "Get a credential",
  security: scopeSecurity("read"),
  middleware: [apiKeyAuth("read")] as const,
  request: { params: IdParam },
  responses: {
    200: { description: "The credential", content: { "application/json": { schema: CredentialSchema } } },
    ...problems(400, 401, 403, 404),
  },
});

const listRoute = createRoute({
  method: "get",
  path: "/v1/credentials",
  tags: ["Credentials"],
  summary: "List credentials, newest first",
  security: scopeSecurity("read"),
  middleware: [apiKeyAuth("read")] as const,
  request: {
    query: PageQuery.extend({
      achievementId: z.string().max(64).optional().openapi({ description: "Only credentials of this achievement." }),
      email: z.string().max(EMAIL_MAX).optional().openapi({ description: "Only credentials of this recipient (case-insensitive)." }),
    }),
  },
  responses: {
    200: {
      description: "One page",
      content: {
        "application/json": {
          schema: z.object({ data: z.array(CredentialSchema), nextCursor: z.string().nullable() }).openapi("CredentialPage"),
        },
      },
    },
    ...problems(400, 401, 403),
  },
});

const revokeRoute = createRoute({
  method: "post",
  path: "/v1/credentials/{id}/revoke",
  tags: ["Credentials"],
  summary: "Revoke a credential",
  description:
    "Idempotent: repeating answers the same, and the first reason is kept. The revocation and the publication it owes " +
    "commit together: public verification shows it within seconds, and within about a minute even when the job queue is " +
    "unavailable (the answer is 200 all the same).",
  security: scopeSecurity("revoke"),
  middleware: [apiKeyAuth("revoke"), jsonBody()] as const,
  request: { params: IdParam, body: { required: true, content: { "application/json": { schema: RevokeBody } } } },
  responses: {
    200: { description: "Revoked", content: { "application/json": { schema: Revoked } } },
    ...problems(400, 401, 403, 404, 413, 415),
  },
});

/** Registers the credential routes. */
export function registerCredentialRoutes(app: OpenAPIHono<OriginHono>) {
  app.openapi(issueRoute, async (c) => {
    const rc = c.var.rc;
    rc.operation = "credentials.create";
    const body = c.req.valid("json");
    const org = c.var.org;
    const db = database(c.env);
    const achievement = await findAchievement(db, org.id, body.achievementId);
    if (!achievement) throw new AppError(404, "ACHIEVEMENT_NOT_FOUND", "achievementId: no achievement with this id.");
    const claim = c.var.idempotency;
    const answerOf = (issued: IssuedCredential) => ({
      id: issued.credentialId,
      status: "active" as const,
      verifyUrl: issued.verifyUrl,
      jwt: issued.jwt,
    });
    const [result] = await issueCredentials(c.env, {
      org,
      achievement,
      recipients: [{ ...body.recipient, validFrom: body.validFrom, validUntil: body.validUntil }],
      requestId: rc.requestId,
      log: rc.log,
      pooledSlot: true,
      // The idempotent answer commits with the credential (one transaction, one round trip fewer).
      // c.json below serializes the same object the same way, so a replay is byte for byte the answer.
      idempotency: claim ? { claim, answer: (issued) => ({ status: 201, body: JSON.stringify(answerOf(issued)) }) } : undefined,
    });
    if (!result) throw new Error("issueCredentials returned no result");
    if (!result.ok) {
      // The body passed the same rules a moment ago; only "validUntil after now" can have expired since.
      const inBody = (field: string) => (field === "name" || field === "email" ? `recipient.${field}` : field);
      throw validationFailed("body", result.errors.map((e) => ({ ...e, field: inBody(e.field) })));
    }
    // Committed: from here nothing may fail the request (see services/idempotency/middleware.ts).
    if (result.storedAnswer) c.set("idempotentAnswerStored", result.storedAnswer);
    await enqueueAfterCommit(
      c.env,
      [{ type: "credential.publish", credentialId: result.credentialId, requestId: rc.requestId, fresh: true }],
      rc.log,
    );
    await kickWebhooks(c.env, org.id, rc.requestId, rc.log); // credential.issued
    return c.json(answerOf(result), 201);
  });

  app.openapi(getRoute, async (c) => {
    c.var.rc.operation = "credentials.get";
    const row = await findCredential(database(c.env), c.var.org.id, c.req.valid("param").id);
    if (!row) throw new AppError(404, "NOT_FOUND", "No credential with this id.");
    const [notifications, proof] = await Promise.all([notificationsOf(database(c.env), row.id), storedProof(database(c.env), row.id)]);
    const credential = credentialJsonOfJwt(row.jwt);
    return c.json({ ...credentialView(row, publicBaseUrl(c.env)), notifications, credential: proof ? { ...credential, proof } : credential }, 200);
  });

  app.openapi(listRoute, async (c) => {
    c.var.rc.operation = "credentials.list";
    const { limit, cursor, achievementId, email } = c.req.valid("query");
    const rows = await listCredentials(database(c.env), c.var.org.id, { achievementId, email }, decodeCursor(cursor), limit + 1);
    const page = pageOf(rows, limit, (r) => ({ at: r.issuedAt.getTime(), id: r.id }));
    const base = publicBaseUrl(c.env);
    return c.json({ data: page.data.map((r) => credentialView(r, base)), nextCursor: page.nextCursor }, 200);
  });

  app.openapi(revokeRoute, async (c) => {
    const rc = c.var.rc;
    rc.operation = "credentials.revoke";
    const { id } = c.req.valid("param");
    const revoked = await revokeCredential(database(c.env), c.var.org.id, id, c.req.valid("json").reason, rc.requestId, rc.trace);
    if (!revoked) throw new AppError(404, "NOT_FOUND", "No credential with this id.");
    const { row, changed } = revoked;
    if (!changed) rc.log.info("credential already revoked", { credentialId: id });
    // Also on repeats: publishing is idempotent, and a repeat heals a publish job that was lost.
    await enqueueAfterCommit(
      c.env,
      [
        { type: "status-list.publish", statusListId: row.statusListId, requestId: rc.requestId },
        { type: "credential.publish", credentialId: row.id, requestId: rc.requestId },
      ],
      rc.log,
    );
    if (changed) await kickWebhooks(c.env, c.var.org.id, rc.requestId, rc.log); // credential.revoked
    return c.json(
      {
        id: row.id,
        status: "revoked" as const,
        revocationReason: row.revocationReason ?? "",
        revokedAt: (row.revokedAt ?? new Date()).toISOString(),
      },
      200,
    );
  });
}
