// The drill's reconciliation on small scenarios: it passes a clean run and names each kind of loss
// or duplicate (so a drill that lost something cannot report success).
import { describe, expect, it } from "vitest";
import { reconcile, type ReconcileInput } from "./reconcile.ts";

function cleanRun(): ReconcileInput {
  const credentials = [
    { id: "c1", email: "a@x.test", batchId: "b1", status: "active" },
    { id: "c2", email: "b@x.test", batchId: "b1", status: "revoked" },
    { id: "c3", email: "c@x.test", batchId: "b2", status: "active" },
  ];
  return {
    batches: [
      { id: "b1", emails: ["a@x.test", "B@x.test"] },
      { id: "b2", emails: ["c@x.test"] },
    ],
    credentials,
    revoked: ["c2"],
    webhooks: [
      { webhookId: "msg_1", type: "credential.issued", subject: "c1", deliveries: 1 },
      { webhookId: "msg_2", type: "credential.issued", subject: "c2", deliveries: 2 },
      { webhookId: "msg_3", type: "credential.issued", subject: "c3", deliveries: 1 },
      { webhookId: "msg_4", type: "credential.revoked", subject: "c2", deliveries: 1 },
      { webhookId: "msg_5", type: "batch.completed", subject: "b1", deliveries: 1 },
      { webhookId: "msg_6", type: "batch.completed", subject: "b2", deliveries: 1 },
    ],
    deadLettered: [],
    edge: new Map([
      ["c1", "valid"],
      ["c2", "revoked"],
      ["c3", "valid"],
    ]),
  };
}

const failing = (input: ReconcileInput) =>
  reconcile(input)
    .checks.filter((c) => !c.ok)
    .map((c) => c.name);

describe("drill reconciliation", () => {
  it("passes a clean run, redeliveries of one webhook-id included", () => {
    const result = reconcile(cleanRun());
    expect(result.checks.map((c) => [c.name, c.ok])).toEqual([
      ["issued exactly once", true],
      ["webhooks delivered or dead-lettered", true],
      ["revocations published", true],
      ["nothing lost (edge verifies every credential)", true],
    ]);
    expect(result.ok).toBe(true);
    expect(result.checks[1]!.summary).toContain("1 redeliveries");
  });

  it("finds a duplicate credential and a missing one", () => {
    const dup = cleanRun();
    dup.credentials.push({ id: "c9", email: "a@x.test", batchId: "b1", status: "active" });
    dup.edge.set("c9", "valid");
    dup.webhooks.push({ webhookId: "msg_9", type: "credential.issued", subject: "c9", deliveries: 1 });
    expect(failing(dup)).toEqual(["issued exactly once"]);
    expect(reconcile(dup).checks[0]!.summary).toContain("1 duplicates");

    const lost = cleanRun();
    lost.credentials = lost.credentials.filter((c) => c.id !== "c3");
    expect(failing(lost)).toContain("issued exactly once");
    expect(reconcile(lost).checks[0]!.summary).toContain("1 missing");
  });

  it("finds a missing webhook, accepts a dead-lettered one, and refuses two webhook-ids for one event", () => {
    const missing = cleanRun();
    missing.webhooks = missing.webhooks.filter((w) => w.webhookId !== "msg_4");
    expect(failing(missing)).toEqual(["webhooks delivered or dead-lettered"]);
    missing.deadLettered = ["credential.revoked:c2"];
    expect(failing(missing)).toEqual([]);

    const twice = cleanRun();
    twice.webhooks.push({ webhookId: "msg_7", type: "batch.completed", subject: "b1", deliveries: 1 });
    expect(failing(twice)).toEqual(["webhooks delivered or dead-lettered"]);
    expect(reconcile(twice).checks[1]!.examples[0]).toContain("2 different webhook-ids");
  });

  it("finds a revocation the edge does not show, and a credential the edge lost", () => {
    const unpublished = cleanRun();
    unpublished.edge.set("c2", "valid");
    expect(failing(unpublished)).toEqual(["revocations published", "nothing lost (edge verifies every credential)"]);

    const lost = cleanRun();
    lost.edge.set("c3", "http 404");
    expect(failing(lost)).toEqual(["nothing lost (edge verifies every credential)"]);
  });
});
