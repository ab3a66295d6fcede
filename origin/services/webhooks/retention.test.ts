// Webhook history retention: finished deliveries (with attempts) and unreferenced events older than
// RETENTION_DAYS go; pending deliveries and recent history stay.
import { reset } from "cloudflare:test";
import { afterEach, expect, it } from "vitest";
import { database } from "../../db/client.ts";
import { call, countRows, makeOrg, testEnv } from "../../test/api.ts";
import { createHook, drainWebhooks, webhookEnv } from "../../test/webhooks.ts";
import { purgeWebhookHistory, RETENTION_DAYS } from "./retention.ts";

afterEach(() => reset());

it(`purges finished deliveries and their events after ${RETENTION_DAYS} days, never pending ones`, async () => {
  const e = webhookEnv();
  const org = await makeOrg("whr");
  const hook = await createHook(e, org, `ret-${crypto.randomUUID()}`, ["key.rotated"]);
  const send = async () => ((await (await call(`/v1/webhooks/${hook.id}/test`, { method: "POST", token: org.apiKey }, e)).json()) as { deliveryId: string }).deliveryId;
  const delivered = await send();
  await drainWebhooks(e);
  e.WEBHOOKS.take();
  const pending = await send(); // never attempted
  const db = database(testEnv);
  expect(await purgeWebhookHistory(db)).toMatchObject({ deliveries: 0 }); // nothing of this org is old yet
  // Only this org's rows are made old (the database is shared with tests running alongside).
  const old = Date.now() - (RETENTION_DAYS + 1) * 86_400_000;
  await db.$client.batch(
    [
      { sql: "UPDATE webhook_deliveries SET created_at = ? WHERE org_id = ?", args: [old, org.id] },
      { sql: "UPDATE webhook_events SET created_at = ? WHERE org_id = ?", args: [old, org.id] },
    ],
    "write",
  );
  expect((await purgeWebhookHistory(db)).deliveries).toBeGreaterThanOrEqual(1);
  expect(await countRows("webhook_deliveries", "id = ?", [delivered])).toBe(0);
  expect(await countRows("webhook_attempts", "delivery_id = ?", [delivered])).toBe(0);
  expect(await countRows("webhook_deliveries", "id = ?", [pending])).toBe(1);
  expect(await countRows("webhook_events", "org_id = ?", [org.id])).toBe(1); // the pending delivery's event
});
