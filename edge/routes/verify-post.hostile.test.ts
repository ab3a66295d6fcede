// POST /api/v1/verify against hostile bodies up to the 1 MB limit: each answers a 4xx problem+json
// instead of holding the isolate (the SVG extractor once backtracked for minutes on `"<svg "`
// repeated). The per-test timeout is the bound: these tests hang, not fail slowly, on a quadratic parser.
import { describe, expect, it } from "vitest";
import { MAX_VERIFY_BODY_BYTES } from "./verify.ts";
import { call, seedWorld } from "../test/fixtures.ts";

let ip = 0;
function post(body: BodyInit, contentType: string): Promise<Response> {
  return call("/api/v1/verify", { method: "POST", body, headers: { "content-type": contentType, "cf-connecting-ip": `192.0.2.${++ip}` } });
}

async function expectProblem(res: Response, status = 400): Promise<{ code: string; detail: string; errors?: unknown[] }> {
  expect(res.status).toBe(status);
  expect(res.headers.get("content-type")).toContain("application/problem+json");
  return res.json();
}

const ONE_MB = 1_000_000;
const TIMEOUT = 20_000;

describe("POST /api/v1/verify with hostile bodies", () => {
  it("answers 4xx for 1 MB of unterminated `<svg ` start tags", { timeout: TIMEOUT }, async () => {
    const body = "<svg ".repeat(ONE_MB / 5);
    expect(body.length).toBeLessThanOrEqual(MAX_VERIFY_BODY_BYTES);
    const problem = await expectProblem(await post(body, "text/plain"));
    expect(problem).toMatchObject({ code: "NOT_SVG", errors: [{ field: "body", rule: "not_svg" }] });
  });

  it("answers 4xx for 1 MB of `<openbadges:credential` tags inside an SVG", { timeout: TIMEOUT }, async () => {
    const body = `<svg>${"<openbadges:credential a='".repeat(ONE_MB / 30)}`;
    await expectProblem(await post(body, "text/plain"));
  });

  it("answers 4xx for a 1 MB deeply nested JSON body", { timeout: TIMEOUT }, async () => {
    const depth = ONE_MB / 6;
    const body = `${'{"a":'.repeat(depth)}1${"}".repeat(depth)}`.slice(0, MAX_VERIFY_BODY_BYTES);
    const problem = await expectProblem(await post(body, "application/json"));
    expect(problem.code).toBe("JSON_TOO_DEEP");
    const arrays = `{"credential":${"[".repeat(ONE_MB - 20)}`;
    expect((await expectProblem(await post(arrays, "application/json"))).code).toBe("JSON_TOO_DEEP");
  });

  it('answers 4xx for a 1 MB `"a."`-repeated JWT-like body', { timeout: TIMEOUT }, async () => {
    const problem = await expectProblem(await post("a.".repeat(ONE_MB / 2), "application/vc+jwt"));
    expect(problem.detail).toMatch(/segments/);
  });

  it("verifies a real credential sent alongside the hostile bodies", { timeout: TIMEOUT }, async () => {
    const { creds } = await seedWorld();
    const [svg, json, dots, real] = await Promise.all([
      post("<svg ".repeat(ONE_MB / 5), "text/plain"),
      post(`{"credential":${"[".repeat(ONE_MB - 20)}`, "application/json"),
      post("a.".repeat(ONE_MB / 2), "text/plain"),
      post(creds[0]!.jwt, "text/plain"),
    ]);
    for (const hostile of [svg, json, dots]) await expectProblem(hostile);
    expect(real.status).toBe(200);
    expect(await real.json()).toMatchObject({ verified: true, status: "valid" });
  });
});
