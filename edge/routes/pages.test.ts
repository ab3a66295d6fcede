// The page routes through the whole Worker: headers (CSP, framing, caching), 404 pages, the embed,
// oEmbed validation, /verify and its scripts. Data comes from the shared edge fixtures.
import { describe, expect, it } from "vitest";
import { BASE, call, putCredential, seedWorld } from "../test/fixtures.ts";

async function sha256Base64(text: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  return btoa(String.fromCharCode(...new Uint8Array(digest)));
}

describe("GET /c/:id", () => {
  it("renders the verified page with security headers, a CSP hash of its inline CSS and an ETag", async () => {
    const { creds } = await seedWorld();
    const res = await call(`/c/${creds[0]!.id}`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/html; charset=utf-8");
    const page = await res.text();
    expect(page).toContain('data-status="valid"');
    expect(page).toContain("Grace Hopper");
    const csp = res.headers.get("content-security-policy")!;
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("img-src 'self' data:");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain("unsafe-inline");
    const css = /<style>([\s\S]*?)<\/style>/.exec(page)![1]!;
    expect(csp).toContain(`style-src 'sha256-${await sha256Base64(css)}'`);
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    expect(res.headers.get("referrer-policy")).toBe("strict-origin-when-cross-origin");
    expect(res.headers.get("x-frame-options")).toBe("DENY");
    expect(res.headers.get("cache-control")).toBe("public, max-age=60");
    const etag = res.headers.get("etag")!;
    expect(etag).toMatch(/^".+"$/);

    const again = await call(`/c/${creds[0]!.id}`, { headers: { "if-none-match": etag } });
    expect(again.status).toBe(304);
    expect(await again.text()).toBe("");
  });

  it("escapes a hostile recipient name from the projection", async () => {
    const { creds } = await seedWorld();
    const issued = creds[0]!;
    issued.projection.recipientName = "<script>alert(1)</script>";
    await putCredential(issued);
    const page = await (await call(`/c/${issued.id}`)).text();
    expect(page).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
    expect(page).not.toContain("<script>alert(1)");
  });

  it("shows a revoked credential with the issuer's reason and no LinkedIn button", async () => {
    const { creds } = await seedWorld({ count: 2, revoked: { 1: "Awarded in error" } });
    const res = await call(`/c/${creds[1]!.id}`);
    const page = await res.text();
    expect(page).toContain('data-status="revoked"');
    expect(page).toContain("Reason: Awarded in error");
    expect(page).not.toContain('id="linkedin-add"');
    const valid = await call(`/c/${creds[0]!.id}`);
    expect(await valid.text()).toContain(`id="linkedin-add" href="${BASE}/c/${creds[0]!.id}/linkedin"`);
  });

  it("answers an HTML 404 page for unknown and malformed ids, and leaves /c/:id.jwt to its route", async () => {
    for (const path of [`/c/${crypto.randomUUID()}`, "/c/not-a-credential", `/c/${crypto.randomUUID()}/embed`]) {
      const res = await call(path);
      expect(res.status, path).toBe(404);
      expect(res.headers.get("content-type")).toBe("text/html; charset=utf-8");
      expect(await res.text()).toContain("Credential not found");
    }
    const { creds } = await seedWorld();
    const jwt = await call(`/c/${creds[0]!.id}.jwt`);
    expect(jwt.status).toBe(200);
    expect(await jwt.text()).toBe(creds[0]!.jwt);
  });
});

describe("GET /c/:id/embed", () => {
  it("is frameable by any site: frame-ancestors *, no X-Frame-Options", async () => {
    const { creds } = await seedWorld();
    const res = await call(`/c/${creds[0]!.id}/embed`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-security-policy")).toContain("frame-ancestors *");
    expect(res.headers.get("x-frame-options")).toBeNull();
    const widget = await res.text();
    expect(widget).toContain('data-status="valid"');
    expect(widget).toContain(`href="${BASE}/c/${creds[0]!.id}"`);
  });
});

describe("GET /oembed", () => {
  it("answers oEmbed 1.0 rich JSON for our credential URLs", async () => {
    const { creds, issuer } = await seedWorld();
    const id = creds[0]!.id;
    const res = await call(`/oembed?${new URLSearchParams({ url: `${BASE}/c/${id}`, format: "json", maxwidth: "320" })}`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("application/json");
    const body = (await res.json()) as Record<string, unknown>;
    expect(body).toMatchObject({
      version: "1.0",
      type: "rich",
      provider_name: "Laurel",
      title: "Edge Caching 101: Grace Hopper",
      author_name: issuer.projection.name,
      width: 320,
      thumbnail_url: `${BASE}/c/${id}/card.png`,
    });
    expect(body.html).toContain(`<iframe src="${BASE}/c/${id}/embed"`);
    expect(typeof body.height).toBe("number");
  });

  it("defaults to JSON, answers 501 for XML, 404 for foreign or unknown URLs, 400 without url", async () => {
    const { creds } = await seedWorld();
    const id = creds[0]!.id;
    expect((await call(`/oembed?url=${encodeURIComponent(`${BASE}/c/${id}`)}`)).status).toBe(200);
    expect((await call(`/oembed?url=${encodeURIComponent(`${BASE}/c/${id}`)}&format=xml`)).status).toBe(501);
    expect((await call(`/oembed?url=${encodeURIComponent(`https://evil.example/c/${id}`)}&format=json`)).status).toBe(404);
    expect((await call(`/oembed?url=${encodeURIComponent(`${BASE}/c/${crypto.randomUUID()}`)}`)).status).toBe(404);
    expect((await call(`/oembed?url=${encodeURIComponent(`${BASE}/verify`)}`)).status).toBe(404);
    expect((await call(`/oembed`)).status).toBe(400);
  });
});

describe("GET /verify and its scripts", () => {
  it("serves the verifier page, its script and the service worker from this origin", async () => {
    const res = await call("/verify");
    expect(res.status).toBe(200);
    const page = await res.text();
    expect(page).toContain('<script type="module" src="/assets/verify.js"></script>');
    expect(res.headers.get("content-security-policy")).toContain("worker-src 'self'");

    const script = await call("/assets/verify.js");
    expect(script.status).toBe(200);
    expect(script.headers.get("content-type")).toBe("text/javascript; charset=utf-8");
    expect((await script.text()).length).toBeGreaterThan(10_000);

    const sw = await call("/verify-sw.js");
    expect(sw.status).toBe(200);
    expect(sw.headers.get("cache-control")).toBe("no-cache");
    expect(await sw.text()).toContain("laurel-verify-data-v1");

    expect((await call("/assets/nope.js")).status).toBe(404);
  });
});
