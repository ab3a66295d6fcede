// The edge's settings are checked before any route runs: a missing or malformed one answers 503
// NOT_CONFIGURED naming the setting and its rule (never its value), /healthz included, and is
// logged once. Runs the real Worker entry in workerd with a changed environment.
import { createExecutionContext, env, waitOnExecutionContext } from "cloudflare:test";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { Problem } from "../shared/http/problem.ts";
import { edgeSetting, type EdgeEnv } from "./env.ts";
import worker from "./index.ts";

const testEnv = env as unknown as EdgeEnv;

async function get(path: string, settings: Partial<Record<keyof EdgeEnv, unknown>>, host = "https://verify.example.test") {
  const exec = createExecutionContext();
  const res = await worker.fetch(new Request(`${host}${path}`), { ...testEnv, ...settings } as EdgeEnv, exec);
  await waitOnExecutionContext(exec);
  return res;
}

describe("edge settings", () => {
  afterEach(() => vi.restoreAllMocks());

  it("answers 503 NOT_CONFIGURED naming a missing PUBLIC_BASE_URL on every route, instead of using the request's host", async () => {
    for (const path of ["/healthz", "/c/6f1c2a9e-0b7d-4c1e-9a55-2f0e6d3b8c41", "/verify"]) {
      const res = await get(path, { PUBLIC_BASE_URL: undefined }, "https://attacker.example");
      expect(res.status, path).toBe(503);
      expect(res.headers.get("content-type")).toBe("application/problem+json");
      const body = (await res.json()) as Problem;
      expect(body).toMatchObject({ status: 503, code: "NOT_CONFIGURED", detail: "The setting PUBLIC_BASE_URL is required." });
      expect(body.requestId).toBe(res.headers.get("x-request-id"));
    }
  });

  it("names the rule a malformed setting breaks, without echoing its value", async () => {
    const cases = [
      ["PUBLIC_BASE_URL", "verify.example.test", /PUBLIC_BASE_URL must be an absolute URL/],
      ["PUBLIC_BASE_URL", "https://verify.example.test/?secret-ish=1", /PUBLIC_BASE_URL must not carry a query or fragment/],
      ["VERIFY_RATE_LIMIT", "lots", /VERIFY_RATE_LIMIT must be "<burst>\/<seconds>"/],
      ["ORIGIN_READ_RATE_LIMIT", "0/30", /ORIGIN_READ_RATE_LIMIT must be "<burst>\/<seconds>"/],
    ] as const;
    for (const [name, value, rule] of cases) {
      const res = await get("/healthz", { [name]: value });
      const body = (await res.json()) as Problem;
      expect(res.status, `${name}=${value}`).toBe(503);
      expect(body.code).toBe("NOT_CONFIGURED");
      expect(body.detail).toMatch(rule);
      expect(body.detail).not.toContain(value);
    }
  });

  it("logs a broken setting once per isolate, not on every request it refuses", async () => {
    const spy = vi.spyOn(console, "error");
    // A rule no other test here breaks: each setting and rule is reported once per isolate.
    const broken = { PUBLIC_BASE_URL: "ftp://verify.example.test" };
    for (let i = 0; i < 3; i++) expect((await get("/healthz", broken)).status).toBe(503);
    const lines = spy.mock.calls.map((args) => String(args[0])).filter((l) => l.includes("setting missing or malformed") && l.includes("PUBLIC_BASE_URL"));
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0]!)).toMatchObject({ level: "error", setting: "PUBLIC_BASE_URL", rule: "must use http or https" });
    expect(lines[0]).not.toContain("ftp://");
  });

  it("serves with well-formed settings, reading them in canonical form", async () => {
    expect((await get("/healthz", {})).status).toBe(200);
    expect(edgeSetting({ PUBLIC_BASE_URL: "https://verify.example.test//" }, "PUBLIC_BASE_URL")).toBe("https://verify.example.test");
    expect(edgeSetting({}, "VERIFY_RATE_LIMIT")).toEqual({ burst: 60, perMs: 60 / 60_000 });
    expect(edgeSetting({ ORIGIN_READ_RATE_LIMIT: "2/10" }, "ORIGIN_READ_RATE_LIMIT")).toEqual({ burst: 2, perMs: 2 / 10_000 });
  });
});
