// Webhook endpoints of the org (`manage` scope): create (the secret is answered once), list, read,
// change, delete, rotate the secret, send a test event; each endpoint's deliveries and their
// replay. Receivers' URLs pass the outbound rules at creation and change (422 URL_NOT_ALLOWED
// naming `url`) and again before every request. Delivery: services/webhooks, docs/webhooks.md.
import { createRoute, z, type OpenAPIHono } from "@hono/zod-openapi";
import { AppError } from "../../shared/http/problem.ts";
import { apiKeyAuth } from "../auth/api-key.ts";
import { scopeSecurity } from "../auth/scopes.ts";
import { database } from "../db/client.ts";
import { WEBHOOK_EVENT_TYPES } from "../db/schema/index.ts";
import type { OriginHono } from "../env.ts";
import { jsonBody } from "../http/body.ts";
import { problems } from "../http/openapi.ts";
import { kickWebhooks, sendWebhookMessages } from "../queues/webhooks.ts";
import { requireTargetUrl } from "../services/outbound/target-url.ts";
import { DELIVERY_LIST_LIMIT, listDeliveries, recordTestEvent, replayDelivery } from "../services/webhooks/deliveries.ts";
import {
  countEndpoints,
  createEndpoint,
  deleteEndpoint,
  endpointView,
  findEndpoint,
  listEndpoints,
  MAX_ENDPOINTS_PER_ORG,
  rotateEndpointSecret,
  updateEndpoint,
} from "../services/webhooks/endpoints.ts";
import { IdParam } from "./schemas.ts";
import { registerWebhookEventDocs } from "./webhooks-events.ts";
import { DeliveryList, NewSecret, NewWebhookEndpoint, WebhookEndpoint } from "./webhooks-schemas.ts";

const EventType = z.enum(WEBHOOK_EVENT_TYPES);
const Events = z
  .array(EventType)
  .min(1)
  .max(WEBHOOK_EVENT_TYPES.length)
  .refine((e) => new Set(e).size === e.length, { message: "events must not repeat" })
  .openapi({ example: ["credential.issued", "batch.completed"] });
const Url = z.string().max(2048).openapi({
  format: "uri",
  description: "https, a public DNS name (no IP literals, localhost or single-label names). Redirects are not followed.",
  example: "https://hooks.example.edu/laurel",
});
const Description = z.string().trim().max(500);

const CreateBody = z.object({ url: Url, events: Events, description: Description.optional() }).openapi("CreateWebhookRequest");
const UpdateBody = z
  .object({ url: Url.optional(), events: Events.optional(), description: Description.optional(), enabled: z.boolean().optional() })
  .refine((b) => Object.values(b).some((v) => v !== undefined), { message: "name at least one of url, events, description, enabled" })
  .openapi("UpdateWebhookRequest");
const DeliveryParams = z.object({
  id: IdParam.shape.id,
  deliveryId: z.string().min(1).max(64).openapi({ param: { name: "deliveryId", in: "path" } }),
});
const DeliveryQuery = z.object({
  limit: z.coerce.number().int().min(1).max(DELIVERY_LIST_LIMIT).default(20).openapi({ description: `1-${DELIVERY_LIST_LIMIT}` }),
  state: z.enum(["pending", "delivered", "dead"]).optional().openapi({ description: "Only deliveries in this state (`dead`: dead-lettered)." }),
});
const Accepted = z.object({ eventId: z.string().optional(), deliveryId: z.string() }).openapi("WebhookDeliveryAccepted");

const common = { tags: ["Webhooks"], security: scopeSecurity("manage") };
const notFound = () => new AppError(404, "NOT_FOUND", "No webhook endpoint with this id.");

const createWebhook = createRoute({
  ...common,
  method: "post",
  path: "/v1/webhooks",
  summary: "Create a webhook endpoint",
  description: `Scope \`manage\`. Answers the signing secret (\`whsec_…\`) once. At most ${MAX_ENDPOINTS_PER_ORG} endpoints per org.`,
  middleware: [apiKeyAuth("manage"), jsonBody()] as const,
  request: { body: { content: { "application/json": { schema: CreateBody } }, required: true } },
  responses: { 201: { description: "Created", content: { "application/json": { schema: NewWebhookEndpoint } } }, ...problems(400, 401, 403, 409, 413, 415, 422) },
});
const listWebhooks = createRoute({
  ...common,
  method: "get",
  path: "/v1/webhooks",
  summary: "List webhook endpoints",
  description: "Scope `manage`. Newest first; never the secret.",
  middleware: [apiKeyAuth("manage")] as const,
  responses: { 200: { description: "The endpoints", content: { "application/json": { schema: z.object({ data: z.array(WebhookEndpoint) }).openapi("WebhookEndpointList") } } }, ...problems(401, 403) },
});
const getWebhook = createRoute({
  ...common,
  method: "get",
  path: "/v1/webhooks/{id}",
  summary: "Get a webhook endpoint",
  description: "Scope `manage`. `enabled: false` with `disabledReason` says why deliveries stopped.",
  middleware: [apiKeyAuth("manage")] as const,
  request: { params: IdParam },
  responses: { 200: { description: "The endpoint", content: { "application/json": { schema: WebhookEndpoint } } }, ...problems(400, 401, 403, 404) },
});
const patchWebhook = createRoute({
  ...common,
  method: "patch",
  path: "/v1/webhooks/{id}",
  summary: "Change a webhook endpoint",
  description: "Scope `manage`. `enabled: true` re-enables a disabled endpoint (its pending deliveries resume, the failure count restarts).",
  middleware: [apiKeyAuth("manage"), jsonBody()] as const,
  request: { params: IdParam, body: { content: { "application/json": { schema: UpdateBody } }, required: true } },
  responses: { 200: { description: "The endpoint", content: { "application/json": { schema: WebhookEndpoint } } }, ...problems(400, 401, 403, 404, 413, 415, 422) },
});
const deleteWebhook = createRoute({
  ...common,
  method: "delete",
  path: "/v1/webhooks/{id}",
  summary: "Delete a webhook endpoint",
  description: "Scope `manage`. Its pending deliveries are dropped with it.",
  middleware: [apiKeyAuth("manage")] as const,
  request: { params: IdParam },
  responses: { 204: { description: "Deleted" }, ...problems(400, 401, 403, 404) },
});
const rotateSecret = createRoute({
  ...common,
  method: "post",
  path: "/v1/webhooks/{id}/rotate-secret",
  summary: "Rotate the signing secret",
  description: "Scope `manage`. Answers the new secret once. For 24 hours every request carries both signatures (`v1,<new> v1,<previous>`).",
  middleware: [apiKeyAuth("manage")] as const,
  request: { params: IdParam },
  responses: { 200: { description: "The new secret", content: { "application/json": { schema: NewSecret } } }, ...problems(400, 401, 403, 404) },
});
const testWebhook = createRoute({
  ...common,
  method: "post",
  path: "/v1/webhooks/{id}/test",
  summary: "Send a test event",
  description: "Scope `manage`. Queues a signed `webhook.test` event to this endpoint (subscribed or not); follow it in the deliveries list.",
  middleware: [apiKeyAuth("manage")] as const,
  request: { params: IdParam },
  responses: { 202: { description: "Queued", content: { "application/json": { schema: Accepted } } }, ...problems(400, 401, 403, 404) },
});
const listDeliveriesRoute = createRoute({
  ...common,
  method: "get",
  path: "/v1/webhooks/{id}/deliveries",
  summary: "List an endpoint's deliveries",
  description: "Scope `manage`. Newest first, each with every attempt (time, status code, duration, error, next retry).",
  middleware: [apiKeyAuth("manage")] as const,
  request: { params: IdParam, query: DeliveryQuery },
  responses: { 200: { description: "The deliveries", content: { "application/json": { schema: DeliveryList } } }, ...problems(400, 401, 403, 404) },
});
const replayRoute = createRoute({
  ...common,
  method: "post",
  path: "/v1/webhooks/{id}/deliveries/{deliveryId}/replay",
  summary: "Replay a delivery",
  description: "Scope `manage`. Sends the event again now (same `webhook-id`), with a fresh retry schedule; earlier attempts stay listed.",
  middleware: [apiKeyAuth("manage")] as const,
  request: { params: DeliveryParams },
  responses: { 202: { description: "Queued", content: { "application/json": { schema: Accepted } } }, ...problems(400, 401, 403, 404) },
});

/** Registers the webhook routes and documents the events (OpenAPI `webhooks`). */
export function registerWebhookRoutes(app: OpenAPIHono<OriginHono>) {
  app.openapi(createWebhook, async (c) => {
    c.var.rc.operation = "webhooks.create";
    const body = c.req.valid("json");
    const url = requireTargetUrl("url", body.url, c.env).href;
    const db = database(c.env);
    if ((await countEndpoints(db, c.var.org.id)) >= MAX_ENDPOINTS_PER_ORG) {
      throw new AppError(409, "TOO_MANY_WEBHOOKS", `An org has at most ${MAX_ENDPOINTS_PER_ORG} webhook endpoints; delete one first.`);
    }
    const created = await createEndpoint(db, c.env.KEY_ENCRYPTION_SECRET, c.var.org.id, { ...body, url });
    return c.json(created, 201);
  });

  app.openapi(listWebhooks, async (c) => {
    c.var.rc.operation = "webhooks.list";
    return c.json({ data: await listEndpoints(database(c.env), c.var.org.id) }, 200);
  });

  app.openapi(getWebhook, async (c) => {
    c.var.rc.operation = "webhooks.get";
    const row = await findEndpoint(database(c.env), c.var.org.id, c.req.valid("param").id);
    if (!row) throw notFound();
    return c.json(endpointView(row), 200);
  });

  app.openapi(patchWebhook, async (c) => {
    const rc = c.var.rc;
    rc.operation = "webhooks.update";
    const body = c.req.valid("json");
    const url = body.url === undefined ? undefined : requireTargetUrl("url", body.url, c.env).href;
    const updated = await updateEndpoint(database(c.env), c.var.org.id, c.req.valid("param").id, { ...body, url });
    if (!updated) throw notFound();
    if (body.enabled === true) await kickWebhooks(c.env, c.var.org.id, rc.requestId, rc.log); // the backlog resumes
    return c.json(updated, 200);
  });

  app.openapi(deleteWebhook, async (c) => {
    c.var.rc.operation = "webhooks.delete";
    if (!(await deleteEndpoint(database(c.env), c.var.org.id, c.req.valid("param").id))) throw notFound();
    return c.body(null, 204);
  });

  app.openapi(rotateSecret, async (c) => {
    c.var.rc.operation = "webhooks.rotate-secret";
    const rotated = await rotateEndpointSecret(database(c.env), c.env.KEY_ENCRYPTION_SECRET, c.var.org.id, c.req.valid("param").id);
    if (!rotated) throw notFound();
    return c.json(rotated, 200);
  });

  app.openapi(testWebhook, async (c) => {
    const rc = c.var.rc;
    rc.operation = "webhooks.test";
    const db = database(c.env);
    const endpoint = await findEndpoint(db, c.var.org.id, c.req.valid("param").id);
    if (!endpoint) throw notFound();
    const queued = await recordTestEvent(db, c.var.org.id, endpoint.id, rc.requestId, rc.trace);
    await sendDeliver(c.env, queued.deliveryId, rc);
    return c.json(queued, 202);
  });

  app.openapi(listDeliveriesRoute, async (c) => {
    c.var.rc.operation = "webhooks.deliveries";
    const db = database(c.env);
    const { id } = c.req.valid("param");
    if (!(await findEndpoint(db, c.var.org.id, id))) throw notFound();
    const { limit, state } = c.req.valid("query");
    return c.json({ data: await listDeliveries(db, c.var.org.id, id, limit, state) }, 200);
  });

  app.openapi(replayRoute, async (c) => {
    const rc = c.var.rc;
    rc.operation = "webhooks.replay";
    const { id, deliveryId } = c.req.valid("param");
    if (!(await replayDelivery(database(c.env), c.var.org.id, id, deliveryId))) {
      throw new AppError(404, "NOT_FOUND", "No delivery with this id for this webhook endpoint.");
    }
    await sendDeliver(c.env, deliveryId, rc);
    return c.json({ deliveryId }, 202);
  });

  registerWebhookEventDocs(app);
}

/** The fast path of a delivery made due by the request; the sweep sends it if this send fails. */
async function sendDeliver(env: OriginHono["Bindings"], deliveryId: string, rc: OriginHono["Variables"]["rc"]): Promise<void> {
  try {
    await sendWebhookMessages(env, [{ type: "webhook.deliver", deliveryId, requestId: rc.requestId }]);
  } catch (error) {
    rc.log.warn("webhook queue send failed; the scheduled sweep delivers", { error, deliveryId });
  }
}
