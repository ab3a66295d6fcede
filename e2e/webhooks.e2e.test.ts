// Webhooks through the real local stack (`npm start`'s launcher, which allows loopback receivers):
// issuing a credential reaches a local receiver through the real laurel-webhooks queue and
// consumer, signed per Standard Webhooks (checked with the `standardwebhooks` package); a 500 is
// retried by the queue with the same webhook-id, and the deliveries list shows both attempts.
import { Webhook } from "standardwebhooks";
import { afterAll, beforeAll, expect, it } from "vitest";
import { startWebhookReceiver } from "../origin/test/webhook-receiver.ts";
import { createAchievement, createOrg, issueCredential } from "./support/issuer-api.ts";
import { startStack, type RunningStack } from "./support/stack.ts";

let stack: RunningStack;
let receiver: Awaited<ReturnType<typeof startWebhookReceiver>>;

beforeAll(async () => {
  [stack, receiver] = await Promise.all([startStack(), startWebhookReceiver()]);
});

afterAll(async () => {
  await receiver?.close();
  await stack?.dispose();
});

async function until<T>(what: string, probe: () => Promise<T | undefined>, deadlineMs = 90_000): Promise<T> {
  const end = Date.now() + deadlineMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

it("delivers a signed credential.issued, retrying a 500 with the same webhook-id", async () => {
  const org = await createOrg(stack, "Webhook University", `wh-${Date.now().toString(36)}`);
  const achievement = await createAchievement(stack, org.apiKey, { name: "Hooks", description: "Received events.", criteria: { narrative: "Answer 2xx." } });
  const name = "e2e";
  await fetch(`${receiver.url}/_script/${name}`, { method: "PUT", body: JSON.stringify([{ status: 500 }]) });
  const created = await fetch(`${stack.originUrl}/v1/webhooks`, {
    method: "POST",
    headers: { authorization: `Bearer ${org.apiKey}`, "content-type": "application/json" },
    body: JSON.stringify({ url: `${receiver.url}/hook/${name}`, events: ["credential.issued"] }),
  });
  expect(created.status).toBe(201);
  const hook = (await created.json()) as { id: string; secret: string };

  const credential = await issueCredential(stack, org.apiKey, { achievementId: achievement.id, recipient: { name: "Grace Hopper", email: "grace@example.edu" } });
  const got = await until("two deliveries", async () => {
    const list = (await (await fetch(`${receiver.url}/_received/${name}`)).json()) as { headers: Record<string, string>; body: string }[];
    return list.length >= 2 ? list : undefined;
  });
  expect(got[0]!.headers["webhook-id"]).toBe(got[1]!.headers["webhook-id"]);
  const payload = new Webhook(hook.secret).verify(got[1]!.body, got[1]!.headers) as { type: string; data: { credentialId: string } };
  expect(payload).toMatchObject({ type: "credential.issued", data: { credentialId: credential.id } });

  const deliveries = await until("the delivered state", async () => {
    const res = await fetch(`${stack.originUrl}/v1/webhooks/${hook.id}/deliveries`, { headers: { authorization: `Bearer ${org.apiKey}` } });
    const body = (await res.json()) as { data: { state: string; attempts: { statusCode: number }[] }[] };
    return body.data[0]?.state === "delivered" ? body.data : undefined;
  });
  expect(deliveries[0]!.attempts.map((a) => a.statusCode)).toEqual([500, 200]);
});
