// The webhook events, documented as OpenAPI 3.1 `webhooks` entries: the request Laurel sends to a
// receiver for each event type, with its Standard Webhooks headers (docs/webhooks.md).
import { z, type OpenAPIHono } from "@hono/zod-openapi";
import type { OriginHono } from "../env.ts";

const dateTime = z.string().openapi({ format: "date-time" });

const DATA = {
  "credential.issued": z
    .object({
      credentialId: z.string(),
      achievementId: z.string(),
      verifyUrl: z.string().openapi({ format: "uri", description: "The public verification page." }),
      batchId: z.string().nullable().openapi({ description: "The batch that issued it; null for a credential issued alone." }),
      issuedAt: dateTime,
    })
    .openapi({ description: "A credential was issued (alone or in a batch). The recipient's name and email are not sent." }),
  "credential.revoked": z
    .object({ credentialId: z.string(), achievementId: z.string(), reason: z.string(), revokedAt: dateTime })
    .openapi({ description: "A credential was revoked (once; repeating the revocation sends nothing)." }),
  "batch.completed": z
    .object({
      batchId: z.string(),
      achievementId: z.string(),
      status: z.enum(["completed", "completed_with_errors"]),
      total: z.number().int(),
      issued: z.number().int(),
      failed: z.number().int(),
      completedAt: dateTime,
    })
    .openapi({ description: "A batch finished: one event per batch with its counts (rows are not sent one by one)." }),
  "key.rotated": z
    .object({ keyId: z.string().openapi({ description: "The new active signing key." }), alg: z.string(), rotatedAt: dateTime })
    .openapi({ description: "The org's signing key was rotated; the previous key is retired (still published)." }),
  "webhook.test": z
    .object({ endpointId: z.string(), message: z.string() })
    .openapi({ description: "Sent by POST /v1/webhooks/{id}/test to that endpoint only." }),
} as const;

const HEADERS = z.object({
  "webhook-id": z.string().openapi({ description: "The event id (`msg_…`), the same on every retry and replay: deduplicate on it." }),
  "webhook-timestamp": z.string().openapi({ description: "Seconds since the epoch when this attempt was signed." }),
  "webhook-signature": z.string().openapi({
    description:
      "Space-separated `v1,<base64 HMAC-SHA256 of \"<webhook-id>.<webhook-timestamp>.<body>\">`, keyed with the base64-decoded part of the secret after `whsec_`. Two entries for 24 h after a secret rotation.",
  }),
});

/** Registers one OpenAPI `webhooks` entry per event type. */
export function registerWebhookEventDocs(app: OpenAPIHono<OriginHono>) {
  for (const [type, data] of Object.entries(DATA)) {
    const body = z
      .object({
        id: z.string().openapi({ description: "The event id (also the webhook-id header)." }),
        type: z.literal(type),
        timestamp: dateTime.openapi({ description: "When the event happened." }),
        requestId: z.string().nullable().openapi({ description: "The id of the API request that caused the event (x-request-id)." }),
        data,
      })
      .openapi(`WebhookEvent_${type.replace(".", "_")}`);
    app.openAPIRegistry.registerWebhook({
      method: "post",
      path: type,
      tags: ["Webhooks"],
      summary: `${type} event`,
      description:
        "Laurel POSTs this to each enabled endpoint subscribed to the type. Answer 2xx within 10 s; anything else (3xx included: redirects are not followed) is retried 5 s, 30 s, 2 min, 10 min, 1 h, 6 h and 24 h later (±20 %, or later if `Retry-After` asks); 410 disables the endpoint.",
      request: { headers: HEADERS, body: { content: { "application/json": { schema: body } }, required: true } },
      responses: { 200: { description: "Received (any 2xx)" } },
    });
  }
}
