// POST /api/v1/verify: a JWT as text/plain or application/vc+jwt, {"credential": jwt}, or a baked
// PNG or SVG; size, media type and per-client rate limits answered as problem+json.
import { describe, expect, it } from "vitest";
import { bakeSvg } from "../../shared/bake/svg.ts";
import type { VerificationResult } from "../../shared/verify/types.ts";
import { fallbackBadge, placeholderPng } from "../services/badge-fallback.ts";
import { MAX_VERIFY_BODY_BYTES } from "./verify.ts";
import { call, issueCredential, makeIssuer, seedWorld } from "../test/fixtures.ts";

let ip = 0;
function post(body: BodyInit, contentType: string, client = `198.51.100.${++ip}`): Promise<Response> {
  return call("/api/v1/verify", { method: "POST", body, headers: { "content-type": contentType, "cf-connecting-ip": client } });
}

describe("POST /api/v1/verify", () => {
  it("verifies a compact JWT sent as text/plain and as application/vc+jwt", async () => {
    const { creds } = await seedWorld();
    for (const type of ["text/plain", "application/vc+jwt", "text/plain; charset=utf-8"]) {
      const res = await post(creds[0]!.jwt, type);
      expect(res.status, type).toBe(200);
      expect(res.headers.get("cache-control")).toBe("no-store");
      const body: VerificationResult = await res.json();
      expect(body, type).toMatchObject({ verified: true, status: "valid" });
    }
  });

  it('verifies {"credential": jwt} JSON', async () => {
    const { creds } = await seedWorld({ count: 1, revoked: { 0: "Duplicate award" } });
    const res = await post(JSON.stringify({ credential: creds[0]!.jwt }), "application/json");
    expect(await res.json()).toMatchObject({ verified: false, status: "revoked", reason: "Duplicate award" });
  });

  it("verifies a baked PNG badge", async () => {
    const { creds } = await seedWorld();
    const badge = await fallbackBadge(creds[0]!.jwt);
    const res = await post(badge, "image/png");
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ verified: true, status: "valid", credential: { id: `urn:uuid:${creds[0]!.id}` } });
  });

  it("verifies a baked SVG badge sent as image/svg+xml", async () => {
    const { creds } = await seedWorld();
    const svg = bakeSvg('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"></svg>', creds[0]!.jwt);
    const res = await post(svg, "image/svg+xml");
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ verified: true, status: "valid", credential: { id: `urn:uuid:${creds[0]!.id}` } });
  });

  it("answers invalid, naming the signature check, for a JWT whose payload was swapped", async () => {
    const { creds } = await seedWorld({ count: 2 });
    const [h, , s] = creds[0]!.jwt.split(".");
    const [, otherPayload] = creds[1]!.jwt.split(".");
    const res = await post(`${h}.${otherPayload}.${s}`, "text/plain");
    const body: VerificationResult = await res.json();
    expect(body).toMatchObject({ verified: false, status: "invalid" });
    expect(body.checks.find((c) => c.name === "signature")).toMatchObject({ ok: false });
  });

  it("does not resolve issuers hosted elsewhere (no fetch from user input): unknown", async () => {
    const foreign = await makeIssuer("victim", "http://169.254.169.254");
    const issued = await issueCredential(foreign, "l", 0, {}, "http://169.254.169.254");
    const body: VerificationResult = await (await post(issued.jwt, "application/vc+jwt")).json();
    expect(body).toMatchObject({ verified: false, status: "unknown" });
    expect(body.checks.find((c) => c.name === "key")?.detail).toContain("resolves no remote issuers");
  });

  it("answers 400 for a PNG without a credential and for text that is no JWT", async () => {
    const empty = await post(await placeholderPng(), "image/png");
    expect(empty.status).toBe(400);
    expect(await empty.json()).toMatchObject({ code: "NO_CREDENTIAL" });
    const res = await post("hello world", "text/plain");
    expect(res.status).toBe(400);
    expect(res.headers.get("content-type")).toContain("application/problem+json");
    const bad = await post(new Uint8Array([1, 2, 3, 4]), "image/png");
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ code: "NOT_PNG" });
  });

  it("answers 413 problem for a body over 1 MB", async () => {
    const res = await post("a".repeat(MAX_VERIFY_BODY_BYTES + 1), "text/plain");
    expect(res.status).toBe(413);
    expect(await res.json()).toMatchObject({ status: 413, code: "PAYLOAD_TOO_LARGE" });
  });

  it("answers 415 problem for an unsupported media type", async () => {
    for (const type of ["application/x-www-form-urlencoded", "image/jpeg", ""]) {
      const res = await post("x", type);
      expect(res.status, type).toBe(415);
      expect(await res.json()).toMatchObject({ status: 415, code: "UNSUPPORTED_MEDIA_TYPE" });
    }
  });

  it("rate limits per client IP with 429 and Retry-After, leaving other clients alone", async () => {
    const { creds } = await seedWorld();
    const client = "203.0.113.77";
    const statuses: number[] = [];
    for (let i = 0; i < 7; i++) statuses.push((await post(creds[0]!.jwt, "text/plain", client)).status);
    // VERIFY_RATE_LIMIT is "5/60" in the edge test project: a burst of 5.
    expect(statuses.slice(0, 5)).toEqual([200, 200, 200, 200, 200]);
    expect(statuses.slice(5)).toEqual([429, 429]);
    const limited = await post(creds[0]!.jwt, "text/plain", client);
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    expect(await limited.json()).toMatchObject({ status: 429, code: "RATE_LIMITED" });
    expect((await post(creds[0]!.jwt, "text/plain", "203.0.113.78")).status).toBe(200);
  });
});
