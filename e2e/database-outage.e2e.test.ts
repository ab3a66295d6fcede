// The real stack when its database stops answering: the libSQL server paused (SIGSTOP) or killed.
// The origin answers 503 DATABASE_UNAVAILABLE with Retry-After instead of hanging, the edge keeps
// serving credential pages, the launcher restarts a dead child, and once the database is back the
// same Idempotency-Key yields exactly one credential.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAchievement, createOrg, issueCredential, type IssuedCredential } from "./support/issuer-api.ts";
import { startStack, type RunningStack } from "./support/stack.ts";

let stack: RunningStack;
let org: { id: string; apiKey: string };
let achievementId: string;
let published: IssuedCredential;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

beforeAll(async () => {
  stack = await startStack();
  org = await createOrg(stack, "Outage University", `outage-${crypto.randomUUID().slice(0, 8)}`);
  achievementId = (await createAchievement(stack, org.apiKey, { name: "Resilience", description: "Kept serving.", criteria: { narrative: "Survive." } })).id;
  published = await issueCredential(stack, org.apiKey, { achievementId, recipient: { name: "Grace", email: "grace@example.edu" } });
  // The credential page is served from the edge's projection once the publication job ran.
  const deadline = Date.now() + 60_000;
  while ((await fetch(`${stack.edgeUrl}/c/${published.id}`)).status !== 200 && Date.now() < deadline) await sleep(500);
});

afterAll(async () => {
  const pid = stack?.childPid("libsql");
  if (pid) {
    try {
      process.kill(pid, "SIGCONT"); // never leave a stopped server behind a failed assertion
    } catch {
      // gone
    }
  }
  await stack?.dispose();
});

function issue(key: string, email = "outage@example.edu"): Promise<Response> {
  return fetch(`${stack.originUrl}/v1/credentials`, {
    method: "POST",
    headers: { authorization: `Bearer ${org.apiKey}`, "content-type": "application/json", "idempotency-key": key },
    body: JSON.stringify({ achievementId, recipient: { name: "Outage", email } }),
    signal: AbortSignal.timeout(60_000),
  });
}

/** Repeats the same request as a client would (409 while an abandoned claim holds the key, 503 while down) until 201. */
async function issueUntilCreated(key: string, email: string, timeoutMs: number): Promise<Response> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const res = await issue(key, email).catch(() => undefined);
    if (res?.status === 201 || Date.now() > deadline) return res ?? issue(key, email);
    await sleep(1000);
  }
}

async function credentialsFor(email: string): Promise<string[]> {
  const res = await fetch(`${stack.originUrl}/v1/credentials?email=${encodeURIComponent(email)}&limit=100`, {
    headers: { authorization: `Bearer ${org.apiKey}` },
  });
  expect(res.status).toBe(200);
  return ((await res.json()) as { data: { id: string }[] }).data.map((c) => c.id);
}

describe("database outage on the real stack", () => {
  it("paused libSQL server: 503 with Retry-After within the bound, the edge keeps serving; resumed: one credential", async () => {
    const pid = stack.childPid("libsql")!;
    expect(pid).toBeGreaterThan(0);
    const key = crypto.randomUUID();
    const email = `paused-${key.slice(0, 8)}@example.edu`;
    process.kill(pid, "SIGSTOP");
    try {
      // Client deadline 5 s: a hanging origin fails this request instead of answering.
      const res = await fetch(`${stack.originUrl}/v1/credentials`, {
        method: "POST",
        headers: { authorization: `Bearer ${org.apiKey}`, "content-type": "application/json", "idempotency-key": key },
        body: JSON.stringify({ achievementId, recipient: { name: "Outage", email } }),
        signal: AbortSignal.timeout(5_000),
      });
      expect(res.status).toBe(503);
      expect(res.headers.get("retry-after")).toMatch(/^\d+$/);
      expect(res.headers.get("content-type")).toContain("application/problem+json");
      expect(await res.json()).toMatchObject({ status: 503, code: "DATABASE_UNAVAILABLE" });

      const health = await fetch(`${stack.originUrl}/healthz`, { signal: AbortSignal.timeout(5_000) });
      expect(health.status).toBe(503);
      expect(await health.json()).toMatchObject({ database: { ok: false } });

      const page = await fetch(`${stack.edgeUrl}/c/${published.id}`, { signal: AbortSignal.timeout(10_000) });
      expect(page.status).toBe(200);
      expect(await page.text()).toContain("Grace");
    } finally {
      process.kill(pid, "SIGCONT");
    }
    const created = await issueUntilCreated(key, email, 60_000);
    expect(created.status).toBe(201);
    const { id } = (await created.json()) as { id: string };
    const replay = await issue(key, email);
    expect(replay.status).toBe(201);
    expect(((await replay.json()) as { id: string }).id).toBe(id);
    expect(await credentialsFor(email)).toEqual([id]);
  });

  it("killed libSQL server: the edge keeps serving and issuing works again within 30 s, without restarting npm start", async () => {
    const pid = stack.childPid("libsql")!;
    process.kill(pid, "SIGKILL");
    const page = await fetch(`${stack.edgeUrl}/c/${published.id}`, { signal: AbortSignal.timeout(10_000) });
    expect(page.status).toBe(200);

    const key = crypto.randomUUID();
    const email = `killed-${key.slice(0, 8)}@example.edu`;
    const created = await issueUntilCreated(key, email, 30_000);
    expect(created.status).toBe(201);
    // The launcher logged the restart with the new PID, and is still the same process.
    expect(stack.childPid("libsql")).not.toBe(pid);
    expect(stack.lines).toContainEqual(expect.objectContaining({ service: "launcher", operation: "child.restart", child: "libsql", pid }));
    expect(stack.process.exitCode).toBeNull();
    expect(await credentialsFor(email)).toHaveLength(1);
  });
});
