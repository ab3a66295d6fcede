// Recipient notifications through the API: re-send a credential's notification
// (POST /v1/credentials/{id}/notify) and the org's notification settings
// (GET/PUT /v1/notification-settings). GET /v1/credentials/{id} shows each notification's status.
import { createRoute, z, type OpenAPIHono } from "@hono/zod-openapi";
import type { Job } from "../queues/jobs.ts";
import { AppError } from "../../shared/http/problem.ts";
import { apiKeyAuth } from "../auth/api-key.ts";
import { scopeSecurity } from "../auth/scopes.ts";
import { database } from "../db/client.ts";
import type { OriginHono } from "../env.ts";
import { jsonBody } from "../http/body.ts";
import { problems } from "../http/openapi.ts";
import { notificationsOf, requestResend } from "../services/notifications/store.ts";
import { notifyOnRevocation, setNotifyOnRevocation } from "../services/notifications/org-settings.ts";
import { IdParam } from "./schemas.ts";

export const NotificationSchema = z
  .object({
    kind: z.enum(["issued", "revoked"]),
    status: z.enum(["pending", "sending", "sent", "failed", "bounced", "complained", "skipped"]),
    attempts: z.number().int(),
    resends: z.number().int(),
    sentAt: z.string().nullable().openapi({ format: "date-time" }),
    error: z.string().optional().openapi({ description: "Why the last attempt failed or was skipped (e.g. `mail not configured`)." }),
  })
  .openapi("Notification");

const NotificationSettings = z
  .object({ notifyOnRevocation: z.boolean().openapi({ description: "Email recipients when their credential is revoked (default true)." }) })
  .openapi("NotificationSettings");

const notifyRoute = createRoute({
  method: "post",
  path: "/v1/credentials/{id}/notify",
  tags: ["Credentials"],
  summary: "Re-send the recipient's notification",
  description:
    "Queues the recipient's email again: the revocation notice once the credential is revoked, else the issuance notice. " +
    "A new instance of that notification (its `resends` count grows); while one is pending or sending, asking again " +
    "changes nothing. The answer lists the credential's notifications.",
  security: scopeSecurity("issue"),
  middleware: [apiKeyAuth("issue")] as const,
  request: { params: IdParam },
  responses: {
    202: {
      description: "Queued",
      content: { "application/json": { schema: z.object({ id: z.string(), kind: z.enum(["issued", "revoked"]), notifications: z.array(NotificationSchema) }).openapi("NotifyAccepted") } },
    },
    ...problems(400, 401, 403, 404),
  },
});

const getSettingsRoute = createRoute({
  method: "get",
  path: "/v1/notification-settings",
  tags: ["Notifications"],
  summary: "The org's recipient notification settings",
  security: scopeSecurity("read"),
  middleware: [apiKeyAuth("read")] as const,
  responses: {
    200: { description: "The settings", content: { "application/json": { schema: NotificationSettings } } },
    ...problems(401, 403),
  },
});

const putSettingsRoute = createRoute({
  method: "put",
  path: "/v1/notification-settings",
  tags: ["Notifications"],
  summary: "Change the org's recipient notification settings",
  security: scopeSecurity("manage"),
  middleware: [apiKeyAuth("manage"), jsonBody()] as const,
  request: { body: { required: true, content: { "application/json": { schema: NotificationSettings } } } },
  responses: {
    200: { description: "The settings", content: { "application/json": { schema: NotificationSettings } } },
    ...problems(400, 401, 403, 413, 415),
  },
});

/** Registers the notification routes. */
export function registerNotificationRoutes(app: OpenAPIHono<OriginHono>) {
  app.openapi(notifyRoute, async (c) => {
    const rc = c.var.rc;
    rc.operation = "credentials.notify";
    const { id } = c.req.valid("param");
    const db = database(c.env);
    const kind = await requestResend(db, c.var.org.id, id, Date.now());
    if (!kind) throw new AppError(404, "NOT_FOUND", "No credential with this id.");
    // The row is the record; a lost job is enqueued again by the sweep.
    await c.env.NOTIFICATIONS.send({ type: "notification.send", credentialId: id, kind, requestId: rc.requestId } satisfies Job).catch((error: unknown) =>
      rc.log.warn("could not enqueue the notification; the sweep will", { error }),
    );
    return c.json({ id, kind, notifications: await notificationsOf(db, id) }, 202);
  });

  app.openapi(getSettingsRoute, async (c) => {
    c.var.rc.operation = "notification-settings.get";
    return c.json({ notifyOnRevocation: await notifyOnRevocation(database(c.env), c.var.org.id) }, 200);
  });

  app.openapi(putSettingsRoute, async (c) => {
    c.var.rc.operation = "notification-settings.put";
    const { notifyOnRevocation: value } = c.req.valid("json");
    await setNotifyOnRevocation(database(c.env), c.var.org.id, value);
    return c.json({ notifyOnRevocation: value }, 200);
  });
}
