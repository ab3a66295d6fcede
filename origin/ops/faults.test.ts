// The fault-injection hook (origin/ops/faults.ts): absent unless FAULT_INJECTION is "true"; when on,
// the named queue's consumer retries every message (its own retry path) until the fault ends.
import { afterEach, describe, expect, it } from "vitest";
import type { OriginEnv } from "../env.ts";
import { consumeJobs } from "../queues/jobs.consumer.ts";
import { consumeWebhooks } from "../queues/webhooks.consumer.ts";
import { call, deliver, deliverTo, newIssuer, testEnv } from "../test/queue-fixtures.ts";

const admin = { authorization: "Bearer test-admin-token", "content-type": "application/json" };
const withFaults = (): OriginEnv => ({ ...testEnv(), FAULT_INJECTION: "true" });

function inject(e: OriginEnv, queue: string, body: unknown, headers: Record<string, string> = admin) {
  return call(e, `/ops/faults/queues/${queue}`, { method: "PUT", headers, body: JSON.stringify(body) });
}

describe("fault injection", () => {
  afterEach(async () => {
    const e = withFaults();
    for (const queue of ["laurel-jobs", "laurel-webhooks"]) await call(e, `/ops/faults/queues/${queue}`, { method: "DELETE", headers: admin });
  });

  it("does not exist when FAULT_INJECTION is unset or false", async () => {
    for (const e of [testEnv(), { ...testEnv(), FAULT_INJECTION: "false" }]) {
      const put = await inject(e, "laurel-jobs", { seconds: 30 });
      expect(put.status).toBe(404);
      expect((await put.json<{ code: string }>()).code).toBe("NOT_FOUND");
      expect((await call(e, "/ops/faults", { headers: admin })).status).toBe(404);
    }
    // Nothing was injected: a job on that queue runs normally.
    const { org } = await newIssuer();
    const result = await deliver(testEnv(), [{ type: "issuer.publish", orgId: org.id, requestId: "r-off" }]);
    expect(result.retryMessages).toEqual([]);
    expect(result.explicitAcks).toHaveLength(1);
  });

  it("needs the admin token even when on", async () => {
    const res = await inject(withFaults(), "laurel-jobs", { seconds: 30 }, { "content-type": "application/json" });
    expect(res.status).toBe(401);
  });

  it("names the field and the rule of a bad request", async () => {
    const badQueue = await inject(withFaults(), "laurel-nope", { seconds: 30 });
    expect(badQueue.status).toBe(400);
    expect((await badQueue.json<{ errors: { field: string }[] }>()).errors.map((e) => e.field)).toEqual(["queue"]);
    for (const seconds of [0, 601, 1.5, "30"]) {
      const res = await inject(withFaults(), "laurel-jobs", { seconds });
      expect(res.status).toBe(400);
      expect((await res.json<{ errors: { field: string }[] }>()).errors.map((e) => e.field)).toEqual(["seconds"]);
    }
  });

  it("makes the named queue's consumer retry until the fault is lifted, and no other queue's", async () => {
    const e = withFaults();
    const { org } = await newIssuer();
    const put = await inject(e, "laurel-jobs", { seconds: 60 });
    expect(put.status).toBe(200);
    const view = await (await call(e, "/ops/faults", { headers: admin })).json<{ queues: { queue: string }[] }>();
    expect(view.queues.map((q) => q.queue)).toEqual(["laurel-jobs"]);

    const job = { type: "issuer.publish" as const, orgId: org.id, requestId: "r-fault" };
    const failed = await deliver(e, [job]);
    expect(failed.explicitAcks).toEqual([]);
    expect(failed.retryMessages).toHaveLength(1);
    expect(failed.retryMessages[0]!.delaySeconds).toBeGreaterThan(0);

    // laurel-batches shares the consumer but was not named: it runs.
    const other = await deliverTo("laurel-batches", consumeJobs, e, [job]);
    expect(other.retryMessages).toEqual([]);

    expect((await call(e, "/ops/faults/queues/laurel-jobs", { method: "DELETE", headers: admin })).status).toBe(204);
    const after = await deliver(e, [job]);
    expect(after.retryMessages).toEqual([]);
    expect(after.explicitAcks).toHaveLength(1);
  });

  it("fails webhook messages too when their queue is named", async () => {
    const e = withFaults();
    expect((await inject(e, "laurel-webhooks", { seconds: 60 })).status).toBe(200);
    const result = await deliverTo("laurel-webhooks", consumeWebhooks, e, [{ type: "webhook.due", orgId: "org-none", requestId: "r-w" }]);
    expect(result.retryMessages).toHaveLength(1);
  });
});
