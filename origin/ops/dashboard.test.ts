// /ops: access (admin token as Bearer, or the operator sign-in's cookie; browsers without either
// are sent to the form), the dashboard and its JSON twin showing stack-wide figures.
import { describe, expect, it } from "vitest";
import { metricsAggregator } from "../../shared/observability/aggregator-rpc.ts";
import { MetricsRecorder, type RecordingIo } from "../../shared/observability/metrics-recorder.ts";
import { ADMIN, call, testEnv } from "../test/api.ts";
import type { OpsSummary, ServiceFigures } from "./summary.ts";

const HTML = { accept: "text/html" };

function cookieOf(res: Response, name: string): string | undefined {
  // On https (as in tests) the console's CSRF cookie carries the __Host- prefix.
  return res.headers.getSetCookie().find((c) => c.startsWith(`${name}=`) || c.startsWith(`__Host-${name}=`));
}

async function signIn(token: string): Promise<Response> {
  const form = await call("/ops/sign-in", { headers: HTML });
  expect(form.status).toBe(200);
  const csrfCookie = cookieOf(form, "laurel_csrf")!.split(";")[0]!;
  const csrf = csrfCookie.slice(csrfCookie.indexOf("=") + 1);
  return call("/ops/sign-in", {
    method: "POST",
    headers: { cookie: csrfCookie, "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ _csrf: csrf, token }).toString(),
  });
}

describe("/ops access", () => {
  it("sends a browser without a session to the sign-in form and answers other callers 401", async () => {
    const browser = await call("/ops", { headers: HTML });
    expect(browser.status).toBe(303);
    expect(browser.headers.get("location")).toBe("/ops/sign-in");
    expect((await call("/ops/api/summary")).status).toBe(401);
    expect((await call("/ops/api/summary", { token: "not-the-admin-token" })).status).toBe(403);
  });

  it("the sign-in form refuses a wrong token and a missing CSRF token, and sets a strict short-lived cookie for the right one", async () => {
    expect((await signIn("wrong-token")).status).toBe(403);
    const noCsrf = await call("/ops/sign-in", { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: `token=${ADMIN}` });
    expect(noCsrf.status).toBe(403);
    expect(cookieOf(noCsrf, "laurel_ops")).toBeUndefined();

    const ok = await signIn(ADMIN);
    expect(ok.status).toBe(303);
    const cookie = cookieOf(ok, "laurel_ops")!;
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    expect(cookie).toMatch(/Path=\/ops/);
    expect(cookie).toMatch(/Max-Age=3600/);
    expect(cookie).toMatch(/Secure/); // ORIGIN_BASE_URL is https in tests

    const value = cookie.split(";")[0]!;
    const page = await call("/ops", { headers: { ...HTML, cookie: value } });
    expect(page.status).toBe(200);
    expect(page.headers.get("content-security-policy")).toContain("default-src 'none'");
    const text = await page.text();
    expect(text).toContain("Alerts firing");
    expect(text).toContain('action="/ops/traces"');
    expect(text).toMatch(/<svg role="img" aria-labelledby=/);

    // A forged cookie (another expiry, the same MAC) is refused.
    const [expires, mac] = value.split("=")[1]!.split(".");
    const forged = `laurel_ops=${Number(expires) + 1000}.${mac}`;
    expect((await call("/ops", { headers: { ...HTML, cookie: forged } })).status).toBe(303);
  });
});

describe("/ops/api/summary", () => {
  it("shows requests recorded by other isolates (through the stack's aggregator) per route group", async () => {
    const group = `/test/ops/${crypto.randomUUID()}`;
    const otherIsolate = new MetricsRecorder("edge");
    for (let i = 0; i < 3; i++) otherIsolate.record({ kind: "request", group, status: 200, durationMs: 40 }, {} as RecordingIo);
    otherIsolate.record({ kind: "request", group, status: 500, durationMs: 40 }, {} as RecordingIo);
    expect(await otherIsolate.flush(metricsAggregator(testEnv.METRICS!))).toBe(true);

    const res = await call("/ops/api/summary", { token: ADMIN });
    expect(res.status).toBe(200);
    const summary = (await res.json()) as OpsSummary;
    const edge = (summary.services as ServiceFigures[]).find((s) => s.service === "edge")!;
    expect(edge.groups.find((g) => g.group === group)).toEqual({ group, requests: 4, errors: 1, errorRatio: 0.25, p99Ms: 50 });
    expect(edge.perMinute).toHaveLength(60);
    expect(Array.isArray(summary.alerts)).toBe(true);
    expect(summary.queues).toMatchObject({ queues: expect.arrayContaining([expect.objectContaining({ queue: "laurel-webhooks" })]) });
  });
});
