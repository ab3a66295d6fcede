// The foundation end to end: `npm start`'s launcher brings up libSQL, edge and origin; both
// Workers answer with request ids and problem+json; logs are JSON; stopping leaves nothing behind.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startStack, type RunningStack } from "./support/stack.ts";

let stack: RunningStack;

beforeAll(async () => {
  stack = await startStack();
});

afterAll(async () => {
  await stack?.stop();
  if (stack) fs.rmSync(stack.dataDir, { recursive: true, force: true });
});

function processesUsing(dataDir: string): string[] {
  const out = execFileSync("ps", ["-eo", "pid,args"], { encoding: "utf8" });
  return out.split("\n").filter((line) => line.includes(dataDir));
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

  it("stops every child on SIGTERM, and on Ctrl-C, and keeps the data for the next start", async () => {
    const code = await stack.stop();
    expect(code).toBe(0);
    await new Promise((r) => setTimeout(r, 500));
    expect(processesUsing(stack.dataDir)).toEqual([]);

    const again = await startStack({ dataDir: stack.dataDir });
    try {
      const res = await fetch(`${again.originUrl}/healthz`);
      expect(res.status).toBe(200);
    } finally {
      expect(await again.stop("ctrl-c")).toBe(0);
    }
    expect(processesUsing(stack.dataDir)).toEqual([]);
  });

  it("stops every child when `npm start` itself gets SIGTERM", async () => {
    const viaNpm = await startStack({ dataDir: stack.dataDir, viaNpm: true });
    expect((await fetch(`${viaNpm.edgeUrl}/healthz`)).status).toBe(200);
    await viaNpm.stop();
    // npm may exit before the launcher has finished stopping its children: give it time.
    for (let i = 0; i < 40 && processesUsing(stack.dataDir).length; i++) await new Promise((r) => setTimeout(r, 250));
    expect(processesUsing(stack.dataDir)).toEqual([]);
  });
});
