// LMS sync through the whole local stack (`npm start`'s launcher: real queues, cron-less here):
// a Canvas course on the fake Canvas server (local/fake-lms) that rate-limits its first requests is
// synced to completion by the laurel-integrations consumer, while a second integration whose LMS
// never answers holds up neither issuance through the API nor the first sync.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startFakeLms, type FakeLms } from "../local/fake-lms/server.ts";
import { createAchievement, createOrg, issueCredential } from "./support/issuer-api.ts";
import { startStack, type RunningStack } from "./support/stack.ts";

let stack: RunningStack;
let lms: FakeLms;

beforeAll(async () => {
  lms = await startFakeLms();
  stack = await startStack();
});

afterAll(async () => {
  await stack?.dispose();
  await lms?.close();
});

async function api(path: string, apiKey: string, init: { method?: string; json?: unknown } = {}): Promise<{ status: number; body: any }> {
  const res = await fetch(`${stack.originUrl}${path}`, {
    method: init.method ?? "GET",
    headers: { authorization: `Bearer ${apiKey}`, ...(init.json ? { "content-type": "application/json" } : {}) },
    body: init.json ? JSON.stringify(init.json) : undefined,
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null };
}

async function course(options: Record<string, unknown>): Promise<string> {
  const res = await fetch(`${lms.url}/__scenarios`, { method: "POST", body: JSON.stringify(options) });
  return ((await res.json()) as { baseUrl: string }).baseUrl;
}

/** Polls a sync until it is over (generous deadline: the machine may be shared). */
async function finished(apiKey: string, integrationId: string, syncId: string, deadlineMs = 150_000): Promise<any> {
  const until = Date.now() + deadlineMs;
  for (;;) {
    const { body } = await api(`/v1/integrations/${integrationId}/syncs/${syncId}`, apiKey);
    if (!["queued", "running"].includes(body.status)) return body;
    if (Date.now() > until) throw new Error(`sync still ${body.status} after ${deadlineMs} ms: ${JSON.stringify(body)}`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

describe("LMS sync through the local stack", () => {
  it("syncs a rate-limited Canvas course on the queue while a hung LMS delays neither issuance nor that sync", async () => {
    const org = await createOrg(stack, "LMS University", `lms-${Date.now().toString(36)}`);
    const achievement = await createAchievement(stack, org.apiKey, { name: "CS101", description: "Completed CS101.", criteria: { narrative: "Pass the course." } });
    const connect = async (baseUrl: string) => {
      const res = await api("/v1/integrations", org.apiKey, {
        method: "POST",
        json: { kind: "canvas", name: "CS101", baseUrl, token: "fake-token", courseId: "101", achievementId: achievement.id },
      });
      expect(res.status).toBe(201);
      return res.body.id as string;
    };
    const hung = await connect(await course({ kind: "canvas", learnerCount: 5, mode: "hang" }));
    const healthy = await connect(await course({ kind: "canvas", learnerCount: 120, noEmail: [1100], throttleFirst: 2, retryAfterSeconds: 1 }));

    const hungSync = await api(`/v1/integrations/${hung}/sync`, org.apiKey, { method: "POST" });
    expect(hungSync.status).toBe(202);
    const sync = await api(`/v1/integrations/${healthy}/sync`, org.apiKey, { method: "POST" });
    expect(sync.status).toBe(202);

    // Issuance through the API is not held up by either sync.
    const issued = await issueCredential(stack, org.apiKey, { achievementId: achievement.id, recipient: { name: "Ada", email: "ada@example.edu" } });
    expect(issued.status).toBe("active");

    const done = await finished(org.apiKey, healthy, sync.body.syncId);
    expect(done).toMatchObject({ status: "completed_with_errors", completionsSeen: 120, credentialsIssued: 119, skipped: 0, errorCount: 1 });
    expect(done.errors[0]).toMatchObject({ lmsUserId: "1100", code: "NO_EMAIL" });

    // The issued credentials are ordinary ones: listed, and published to the edge.
    const listed = await api(`/v1/credentials?limit=100&email=learner1001@example.edu`, org.apiKey);
    expect(listed.body.data).toHaveLength(1);
    const id = listed.body.data[0].id as string;
    const until = Date.now() + 60_000;
    let verify: any;
    do {
      verify = await (await fetch(`${stack.edgeUrl}/api/v1/verify/${id}`)).json();
      if (verify.status === "valid") break;
      await new Promise((resolve) => setTimeout(resolve, 500));
    } while (Date.now() < until);
    expect(verify.status).toBe("valid");

    // The hung LMS's sync is still waiting on its LMS (retried later), not blocking anything.
    const hungState = await api(`/v1/integrations/${hung}/syncs/${hungSync.body.syncId}`, org.apiKey);
    expect(["queued", "running", "failed"]).toContain(hungState.body.status);
  });
});
