// Response schemas of the webhook routes (OpenAPI components).
import { z } from "@hono/zod-openapi";
import { WEBHOOK_EVENT_TYPES } from "../db/schema/index.ts";

const dateTime = (description?: string) => z.string().openapi({ format: "date-time", ...(description ? { description } : {}) });

export const WebhookEndpoint = z
  .object({
    id: z.string().uuid(),
    url: z.string(),
    description: z.string(),
    events: z.array(z.enum(WEBHOOK_EVENT_TYPES)),
    enabled: z.boolean(),
    disabledReason: z.string().nullable().openapi({ description: "Why the endpoint was disabled (410 Gone, too many failures in a row, or through the API)." }),
    consecutiveFailures: z.number().int().openapi({ description: "Failed attempts since the last successful one." }),
    previousSecretExpiresAt: dateTime("Until then the previous secret also signs (after a rotation); null otherwise.").nullable(),
    createdAt: dateTime(),
    updatedAt: dateTime(),
  })
  .openapi("WebhookEndpoint");

const Secret = z.string().openapi({ description: "`whsec_` + base64 of 32 random bytes: shown only in this answer.", example: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw" });

export const NewWebhookEndpoint = WebhookEndpoint.extend({ secret: Secret }).openapi("NewWebhookEndpoint");

export const NewSecret = z
  .object({ id: z.string().uuid(), secret: Secret, previousSecretExpiresAt: dateTime("Until then requests carry both signatures.") })
  .openapi("WebhookSecretRotation");

const Attempt = z
  .object({
    attempt: z.number().int(),
    attemptedAt: dateTime(),
    statusCode: z.number().int().nullable().openapi({ description: "The receiver's status; null when there was no answer." }),
    durationMs: z.number().int(),
    error: z.string().nullable().openapi({ description: "Why the attempt failed (HTTP status, timeout, network error, redirect); null on success." }),
    nextAttemptAt: dateTime("When the retry after this attempt is due; null when none follows.").nullable(),
  })
  .openapi("WebhookAttempt");

export const DeliveryList = z
  .object({
    data: z.array(
      z
        .object({
          id: z.string(),
          eventId: z.string().openapi({ description: "The webhook-id header, the same on every attempt." }),
          eventType: z.string(),
          state: z.enum(["pending", "delivered", "dead"]).openapi({ description: "`dead`: out of attempts or answered 410 (dead-lettered; replay resends)." }),
          nextAttemptAt: dateTime().nullable(),
          createdAt: dateTime(),
          attempts: z.array(Attempt),
        })
        .openapi("WebhookDelivery"),
    ),
  })
  .openapi("WebhookDeliveryList");
