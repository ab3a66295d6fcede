// POST /webhooks/resend: the mail provider's delivery events (bounces, complaints), signed with
// RESEND_WEBHOOK_SECRET. Unset, the route answers 404 (off). A bad or old signature answers 401; a
// verified event answers 200 whether or not it matched a notification, so the provider stops
// retrying it. docs/recipients.md.
import type { OpenAPIHono } from "@hono/zod-openapi";
import { readBodyCapped } from "../../shared/http/body.ts";
import { AppError } from "../../shared/http/problem.ts";
import { database } from "../db/client.ts";
import { originSetting, type OriginHono } from "../env.ts";
import { decodeUtf8 } from "../http/body.ts";
import { recordProviderEvent, verifyResendEvent } from "../services/mail/provider-events.ts";

/** Resend's events are small JSON documents. */
const EVENT_LIMIT = 64 * 1024;

export function registerMailEventRoutes(app: OpenAPIHono<OriginHono>) {
  app.post("/webhooks/resend", async (c) => {
    const rc = c.var.rc;
    rc.operation = "mail.events";
    const secret = originSetting(c.env, "RESEND_WEBHOOK_SECRET");
    if (!secret) throw new AppError(404, "NOT_FOUND", "Mail provider events are not enabled here.");
    const body = decodeUtf8(await readBodyCapped(c.req.raw, EVENT_LIMIT));
    const verified = verifyResendEvent(secret, body, c.req.raw.headers);
    if (!verified.ok) throw new AppError(401, "UNAUTHORIZED", `The event's signature was not accepted: ${verified.reason}.`);
    const result = await recordProviderEvent(database(c.env), verified.event);
    // No address in the log: the event type and how many notifications it changed.
    if (result.ok) rc.log.info("mail provider event", { type: result.type, recorded: result.recorded });
    return c.json({ received: true }, 200);
  });
}
