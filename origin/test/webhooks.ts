// Test helpers for webhooks (inside workerd): the scriptable receiver that global-setup.ts starts,
// an environment whose laurel-webhooks queue captures messages (tests feed them to the real
// consumer, on a later clock when a retry is due, instead of waiting), and endpoint creation.
import { createMessageBatch } from "cloudflare:test";
import { inject } from "vitest";
import { database } from "../db/client.ts";
import type { OriginEnv } from "../env.ts";
import type { WebhookMessage } from "../queues/webhooks.ts";
import { consumeWebhooks } from "../queues/webhooks.consumer.ts";
import type { AttemptOptions } from "../services/webhooks/deliver.ts";
import { call, testEnv, type TestOrg } from "./api.ts";
import type { ReceivedRequest, ScriptedAnswer } from "./webhook-receiver.ts";

const receiver = inject("webhookReceiverUrl");

/** The receiver URL of the test's own path name. */
export function hookUrl(name: string): string {
  return `${receiver}/hook/${name}`;
}

/** Sets the answers `name` gives next (then 200). */
export async function script(name: string, answers: ScriptedAnswer[]): Promise<void> {
  const res = await fetch(`${receiver}/_script/${name}`, { method: "PUT", body: JSON.stringify(answers) });
  if (res.status !== 204) throw new Error(`receiver script failed: ${res.status}`);
}

/** What `name` received so far, in order. */
export async function received(name: string): Promise<ReceivedRequest[]> {
  return (await (await fetch(`${receiver}/_received/${name}`)).json()) as ReceivedRequest[];
}

/** A laurel-webhooks stand-in that keeps what is sent, with its delay. */
export class CapturingWebhookQueue {
  sent: { body: WebhookMessage; delaySeconds: number }[] = [];
  async send(body: WebhookMessage, options?: QueueSendOptions): Promise<void> {
    this.sent.push({ body, delaySeconds: options?.delaySeconds ?? 0 });
  }
  async sendBatch(messages: Iterable<MessageSendRequest<WebhookMessage>>): Promise<void> {
    for (const m of messages) this.sent.push({ body: m.body, delaySeconds: m.delaySeconds ?? 0 });
  }
  take() {
    const out = this.sent;
    this.sent = [];
    return out;
  }
}

/** The origin's bindings with loopback receivers allowed and laurel-webhooks captured. */
export function webhookEnv(): OriginEnv & { WEBHOOKS: CapturingWebhookQueue & Queue } {
  return { ...testEnv, ALLOW_LOCAL_HTTP_TARGETS: "true", WEBHOOKS: new CapturingWebhookQueue() as CapturingWebhookQueue & Queue };
}

let sequence = 0;

/** Feeds messages to the real consumer as one batch (clock `options.now`); returns what it sent on. */
export async function consume(e: ReturnType<typeof webhookEnv>, bodies: WebhookMessage[], options: AttemptOptions = {}) {
  const batch = createMessageBatch<WebhookMessage>(
    "laurel-webhooks",
    bodies.map((body) => ({ id: `wh-${++sequence}`, timestamp: new Date(), attempts: 1, body })),
  );
  await consumeWebhooks(batch as MessageBatch<unknown>, e, options);
  return e.WEBHOOKS.take();
}

/**
 * Runs the captured messages through the consumer until none is left; returns every message run.
 * On the real clock (no `now`) delayed messages (retries) stay captured; with `now`, each round's
 * clock moves on by its longest delay (from `now`), so retries run when due, as the queue would.
 */
export async function drainWebhooks(e: ReturnType<typeof webhookEnv>, now?: number): Promise<WebhookMessage[]> {
  const all: WebhookMessage[] = [];
  let clock = now;
  for (let round = 0; round < 20; round++) {
    const captured = e.WEBHOOKS.take();
    const due = now === undefined ? captured.filter((m) => m.delaySeconds === 0) : captured;
    const later = captured.filter((m) => !due.includes(m));
    if (due.length === 0) {
      e.WEBHOOKS.sent.push(...later);
      return all;
    }
    all.push(...due.map((m) => m.body));
    if (clock !== undefined) clock += Math.max(...due.map((m) => m.delaySeconds)) * 1000;
    const sentOn = await consume(e, due.map((m) => m.body), clock === undefined ? {} : { now: clock });
    e.WEBHOOKS.sent.push(...later, ...sentOn);
  }
  throw new Error("webhook messages kept coming after 20 rounds");
}

/** Creates an endpoint through the API; returns the answer body. */
export async function createHook(e: OriginEnv, org: TestOrg, name: string, events: string[]) {
  const res = await call("/v1/webhooks", { method: "POST", token: org.apiKey, json: { url: hookUrl(name), events } }, e);
  if (res.status !== 201) throw new Error(`webhook creation failed: ${res.status} ${await res.text()}`);
  return (await res.json()) as { id: string; secret: string; events: string[] };
}

/** Delivery ids of an endpoint, oldest first. */
export async function deliveryIds(endpointId: string): Promise<string[]> {
  const result = await database(testEnv).$client.execute({
    sql: "SELECT id FROM webhook_deliveries WHERE endpoint_id = ? ORDER BY created_at, id",
    args: [endpointId],
  });
  return result.rows.map((r) => String(r.id));
}
