// The outbound guard in workerd: refused targets never reach fetch(); loopback targets pass only
// with ALLOW_LOCAL_HTTP_TARGETS; a real answer (the test run's libSQL server) is read, capped.
import { describe, expect, it } from "vitest";
import { testEnv } from "../../test/api.ts";
import { guardedFetch } from "./guarded-fetch.ts";
import { checkTargetUrl, requireTargetUrl } from "./target-url.ts";

const strict = { ALLOW_LOCAL_HTTP_TARGETS: "false" };
const local = { ALLOW_LOCAL_HTTP_TARGETS: "true" };
const health = `${testEnv.LIBSQL_URL}/health`;

describe("checkTargetUrl", () => {
  it.each([
    ["http://10.0.0.1/x", "https only"],
    ["https://169.254.169.254/", "cloud metadata"],
    ["https://[::ffff:127.0.0.1]/", "loopback"],
    ["https://localhost/", "loopback"],
    ["https://intranet/hook", "single-label"],
    ["https://8.8.8.8/hook", "IP address"],
    ["https://user:pw@hooks.example.com/", "credentials"],
  ])("refuses %s (%s)", (url, reason) => {
    const check = checkTargetUrl(url, strict);
    expect(check.ok).toBe(false);
    expect(check.ok ? "" : check.reason).toContain(reason);
  });

  it("accepts a public https name, and loopback http only with the local-development setting", () => {
    expect(checkTargetUrl("https://hooks.example.com/laurel", strict).ok).toBe(true);
    expect(checkTargetUrl("http://127.0.0.1:9999/hook", strict).ok).toBe(false);
    expect(checkTargetUrl("http://127.0.0.1:9999/hook", local).ok).toBe(true);
    expect(checkTargetUrl("http://10.0.0.1/x", local).ok).toBe(false);
  });

  it("requireTargetUrl throws 422 URL_NOT_ALLOWED naming the field and the rule", () => {
    try {
      requireTargetUrl("url", "https://localhost/", strict);
      expect.unreachable();
    } catch (error) {
      expect(error).toMatchObject({ status: 422, code: "URL_NOT_ALLOWED", errors: [{ field: "url", rule: "public_https_url" }] });
    }
  });
});

describe("guardedFetch", () => {
  it("refuses a loopback target without the local-development setting, before any request", async () => {
    const result = await guardedFetch({ url: health, timeoutMs: 5000, maxResponseBytes: 1024 }, strict);
    expect(result).toMatchObject({ kind: "refused" });
  });

  it("reads an allowed target's answer, and refuses an answer over the byte cap", async () => {
    const ok = await guardedFetch({ url: health, timeoutMs: 5000, maxResponseBytes: 1024 }, local);
    expect(ok.kind).toBe("response");
    if (ok.kind === "response") expect(JSON.parse(new TextDecoder().decode(ok.body))).toEqual({ status: "ok" });
    const capped = await guardedFetch({ url: health, timeoutMs: 5000, maxResponseBytes: 4 }, local);
    expect(capped.kind).toBe("too_large");
  });

  it("reports a closed port as a network error, not a throw", async () => {
    const result = await guardedFetch({ url: "http://127.0.0.1:9/nothing", timeoutMs: 5000, maxResponseBytes: 1024 }, local);
    expect(["network_error", "timeout"]).toContain(result.kind);
  });
});
