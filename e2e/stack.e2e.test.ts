// The foundation end to end: `npm start`'s launcher brings up libSQL, edge and origin; both
// Workers answer with request ids and problem+json; logs are JSON; stopping leaves nothing behind.
import fs from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAchievement, createOrg, issueCredential } from "./support/issuer-api.ts";
import { startStack, type RunningStack } from "./support/stack.ts";

let stack: RunningStack;
const others: RunningStack[] = [];

beforeAll(async () => {
  stack = await startStack();
});

afterAll(async () => {
  for (const other of others) await other.stop();
  // The data folder is shared with the restarted stacks: removed last.
  await stack?.dispose();
});

/** Starts another stack on `stack`'s data folder (stopped in afterAll whatever happens). */
async function restartOnSameData(options: { viaNpm?: boolean } = {}): Promise<RunningStack> {
  const again = await startStack({ dataDir: stack.dataDir, ...options });
  others.push(again);
  return again;
}

describe("local stack", () => {
  it("serves /healthz on both Workers with a request id", async () => {
    for (const url of [stack.edgeUrl, stack.originUrl]) {
      const res = await fetch(`${url}/healthz`);
      expect(res.status).toBe(200);
      expect(res.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
    }
  });

  it("carries a caller's x-request-id through", async () => {
    const res = await fetch(`${stack.originUrl}/healthz`, { headers: { "x-request-id": "e2e-trace-42" } });
    expect(res.headers.get("x-request-id")).toBe("e2e-trace-42");
  });

  it("answers unknown routes with 404 problem+json on both Workers", async () => {
    for (const url of [stack.edgeUrl, stack.originUrl]) {
      const res = await fetch(`${url}/no/such/route`);
      expect(res.status).toBe(404);
      expect(res.headers.get("content-type")).toContain("application/problem+json");
      const body = await res.json();
      expect(body).toMatchObject({ status: 404, code: "NOT_FOUND", requestId: res.headers.get("x-request-id") });
    }
  });

  it("answers a malformed JSON body with 400 problem+json carrying the request id", async () => {
    const res = await fetch(`${stack.originUrl}/v1/orgs`, {
      method: "POST",
      headers: { authorization: `Bearer ${stack.adminToken}`, "content-type": "application/json", "x-request-id": "bad-json-1" },
      body: '{"name": "Broken", ',
    });
    expect(res.status).toBe(400);
    expect(res.headers.get("content-type")).toContain("application/problem+json");
    expect(await res.json()).toMatchObject({ status: 400, code: "MALFORMED_JSON", requestId: "bad-json-1" });
  });

  it("logs JSON lines with the shared fields", async () => {
    await fetch(`${stack.originUrl}/healthz`, { headers: { "x-request-id": "log-check-1" } });
    await fetch(`${stack.edgeUrl}/healthz`, { headers: { "x-request-id": "log-check-2" } });
    await new Promise((r) => setTimeout(r, 500));
    expect(stack.otherLines).toEqual([]);
    for (const [service, id] of [["origin", "log-check-1"], ["edge", "log-check-2"]]) {
      const line = stack.lines.find((l) => l.requestId === id);
      expect(line, `${service} log line`).toBeDefined();
      expect(line).toMatchObject({ level: "info", service, requestId: id, status: 200, operation: expect.any(String) });
      expect(typeof line!.durationMs).toBe("number");
      expect(typeof line!.ts).toBe("string");
    }
  });

  it("keeps no secret on a command line, and its data folder and secret files private", async () => {
    const secrets = JSON.parse(fs.readFileSync(`${stack.dataDir}/secrets.json`, "utf8")) as Record<string, string>;
    expect(Object.keys(secrets).sort()).toEqual(["demoOwnerPassword", "keyEncryptionSecret", "libsqlAuthToken", "mailOutboxToken", "otlpReceiverToken"]);
    const commandLines = stack.processes().join("\n");
    expect(commandLines).toContain("wrangler"); // the listing does see the Workers...
    for (const secret of [...Object.values(secrets), stack.adminToken]) expect(commandLines).not.toContain(secret); // ...but no secret
    expect(fs.statSync(stack.dataDir).mode & 0o777).toBe(0o700);
    for (const file of ["secrets.json", "origin.secrets.env", "demo.json"]) expect(fs.statSync(`${stack.dataDir}/${file}`).mode & 0o777).toBe(0o600);
    // The libSQL server refuses requests without the token.
    const res = await fetch(`${stack.libsqlUrl}/v2/pipeline`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ baton: null, requests: [{ type: "execute", stmt: { sql: "SELECT 1" } }] }),
    });
    expect(res.status).toBe(401);
  });

  it("stops every child on SIGTERM, and on Ctrl-C, and keeps the data for the next start", async () => {
    const org = await createOrg(stack, "Persisted University", `persisted-${crypto.randomUUID().slice(0, 8)}`);
    const achievement = await createAchievement(stack, org.apiKey, { name: "Kept", description: "Survives a restart.", criteria: { narrative: "Restart." } });
    const issued = await issueCredential(stack, org.apiKey, { achievementId: achievement.id, recipient: { name: "Ada", email: "ada@example.edu" } });

    expect(stack.processes().length).toBeGreaterThanOrEqual(4); // launcher, libSQL, two wranglers (and workerd)
    const code = await stack.stop();
    expect(code).toBe(0);
    expect(stack.processes()).toEqual([]);

    const again = await restartOnSameData();
    // The same org (its API key), achievement and credential are read back after the restart.
    const read = await fetch(`${again.originUrl}/v1/credentials/${issued.id}`, { headers: { authorization: `Bearer ${org.apiKey}` } });
    expect(read.status).toBe(200);
    expect(await read.json()).toMatchObject({ id: issued.id, status: "active", jwt: issued.jwt });
    const list = await fetch(`${again.originUrl}/v1/credentials?achievementId=${achievement.id}`, { headers: { authorization: `Bearer ${org.apiKey}` } });
    expect(((await list.json()) as { data: { id: string }[] }).data.map((c) => c.id)).toEqual([issued.id]);
    expect(await again.stop("ctrl-c")).toBe(0);
    expect(again.processes()).toEqual([]);
  });

  it("stops every child when `npm start` itself gets SIGTERM", async () => {
    const viaNpm = await restartOnSameData({ viaNpm: true });
    expect((await fetch(`${viaNpm.edgeUrl}/healthz`)).status).toBe(200);
    const groups = viaNpm.processes();
    expect(groups.length).toBeGreaterThanOrEqual(4);
    // Only npm gets the signal; the launcher under it must stop the children itself.
    viaNpm.process.kill("SIGTERM");
    const deadline = Date.now() + 30_000;
    while (viaNpm.processes().length > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 250));
    expect(viaNpm.processes()).toEqual([]);
  });
});
