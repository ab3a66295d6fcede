// The issuer logo and the certificate template through the API: what is refused (naming the
// rule), what is stored and served, that new credentials name the logo as their issuer's image
// while earlier ones keep what they were issued with, and that certificates draw the logo and
// take the achievement's template.
import { decodeJwt } from "jose";
import { PDFDocument } from "pdf-lib";
import { describe, expect, it } from "vitest";
import { EdgeApi } from "../rpc/edge-api.ts";
import { call, credentialBody, issue, makeAchievement, makeOrg, problem, testEnv } from "../test/api.ts";
import { credentialLogoUrl } from "../services/issuer-profile/credential-logo.ts";
import { readImageHeader } from "../services/issuer-profile/image-header.ts";
import { testContext } from "../test/execution-context.ts";

const b64 = (s: string) => Uint8Array.from(atob(s), (c) => c.charCodeAt(0));
/** A valid 1×1 PNG and a minimal baseline JPEG (1×1). */
const PNG = b64("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==");
const JPEG = b64("/9j/4AAQSkZJRgABAQEASABIAAD/2wBDAP//////////////////////////////////////////////////////////////////////////////////////wgALCAABAAEBAREA/8QAFBABAAAAAAAAAAAAAAAAAAAAAP/aAAgBAQABPxA=");

function putLogo(apiKey: string, body: Uint8Array | string, type = "image/png") {
  return call("/v1/issuer/logo", { method: "PUT", token: apiKey, headers: { "content-type": type }, body });
}

/** A PNG whose IHDR claims `side`×`side` pixels (the rest is the 1×1 image's). */
function pngClaiming(side: number): Uint8Array {
  const bytes = PNG.slice();
  new DataView(bytes.buffer).setUint32(16, side);
  new DataView(bytes.buffer).setUint32(20, side);
  return bytes;
}

describe("issuer logo", { timeout: 60_000 }, () => {
  it("reads PNG and JPEG headers and nothing else", () => {
    expect(readImageHeader(PNG)).toEqual({ contentType: "image/png", width: 1, height: 1 });
    expect(readImageHeader(JPEG)).toEqual({ contentType: "image/jpeg", width: 1, height: 1 });
    expect(readImageHeader(new TextEncoder().encode("<svg xmlns='http://www.w3.org/2000/svg'/>"))).toBeNull();
    expect(readImageHeader(JPEG.slice(0, 10))).toBeNull();
  });

  it("refuses what is not a small, readable PNG or JPEG, naming the rule", async () => {
    const org = await makeOrg("logo-refuse");
    const svg = await putLogo(org.apiKey, "<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>", "image/svg+xml");
    expect(svg.status).toBe(415);
    const disguised = await putLogo(org.apiKey, "<svg xmlns='http://www.w3.org/2000/svg'/>", "image/png");
    expect(disguised.status).toBe(422);
    expect(await problem(disguised)).toMatchObject({ code: "IMAGE_NOT_ACCEPTED", errors: [{ field: "(body)", rule: "format" }] });
    const mislabelled = await putLogo(org.apiKey, JPEG, "image/png");
    expect((await problem(mislabelled)).errors).toEqual([expect.objectContaining({ rule: "format" })]);
    const huge = await putLogo(org.apiKey, pngClaiming(20_000));
    expect((await problem(huge)).errors).toEqual([expect.objectContaining({ rule: "max-dimensions" })]);
    const damaged = PNG.slice(0, 40);
    expect((await problem(await putLogo(org.apiKey, damaged))).errors).toEqual([expect.objectContaining({ rule: "decodable" })]);
    const tooBig = new Uint8Array(256 * 1024 + 1);
    tooBig.set(PNG);
    expect((await putLogo(org.apiKey, tooBig)).status).toBe(413);
    expect((await call("/v1/issuer/logo", { token: org.apiKey })).status).toBe(404);
  });

  it("needs the manage scope to change it", async () => {
    const org = await makeOrg("logo-scope");
    const created = await call("/v1/api-keys", { method: "POST", token: org.apiKey, json: { name: "reader", scopes: ["read"] } });
    const reader = ((await created.json()) as { apiKey: string }).apiKey;
    expect((await problem(await putLogo(reader, PNG))).code).toBe("INSUFFICIENT_SCOPE");
    expect((await call("/v1/issuer/logo", { method: "DELETE", token: reader })).status).toBe(403);
  });

  it("is served, named by new credentials only, drawn on their certificates; the template shapes the certificate", async () => {
    const org = await makeOrg("logo");
    const other = await makeOrg("logo-other");
    const achievement = await makeAchievement(org, { certificate: { pageSize: "Letter", accentColor: "#AA0011", title: "Certificate of completion" } });
    const before = (await (await issue(org, credentialBody(achievement.id))).json()) as { id: string; jwt: string };
    expect(credentialLogoUrl(before.jwt)).toBeNull();

    const put = await putLogo(org.apiKey, PNG);
    expect(put.status).toBe(200);
    const logo = (await put.json()) as { url: string; contentType: string };
    expect(logo.url).toMatch(/^https:\/\/origin\.test\/logos\/[0-9a-f]{64}\.png$/);
    expect(await (await call("/v1/issuer/logo", { token: org.apiKey })).json()).toEqual(logo);
    expect((await call("/v1/issuer/logo", { token: other.apiKey })).status).toBe(404); // another org has none

    const served = await call(new URL(logo.url).pathname);
    expect(served.status).toBe(200);
    expect(served.headers.get("content-type")).toBe("image/png");
    expect(served.headers.get("cache-control")).toContain("immutable");
    expect(new Uint8Array(await served.arrayBuffer())).toEqual(PNG);
    expect((await call(new URL(logo.url).pathname.replace(".png", ".jpg"))).status).toBe(404);

    const after = (await (await issue(org, credentialBody(achievement.id))).json()) as { id: string; jwt: string };
    expect((decodeJwt(after.jwt).issuer as { image?: unknown }).image).toEqual({ id: logo.url, type: "Image" });

    const api = new EdgeApi(testContext(), testEnv);
    const withLogo = await PDFDocument.load(new Uint8Array((await api.renderCertificate(after.id))!.pdf));
    const withoutLogo = await PDFDocument.load(new Uint8Array((await api.renderCertificate(before.id))!.pdf));
    const images = (doc: PDFDocument) =>
      doc.context.enumerateIndirectObjects().filter(([, o]) => String((o as { dict?: Map<unknown, unknown> }).dict?.get?.(doc.context.obj("Subtype")) ?? "") === "/Image").length;
    expect(images(withLogo)).toBeGreaterThan(images(withoutLogo)); // the logo (and its alpha mask)
    expect([withLogo.getPage(0).getWidth(), withLogo.getPage(0).getHeight()]).toEqual([792, 612]);

    expect((await call("/v1/issuer/logo", { method: "DELETE", token: org.apiKey })).status).toBe(204);
    const removed = (await (await issue(org, credentialBody(achievement.id))).json()) as { jwt: string };
    expect(credentialLogoUrl(removed.jwt)).toBeNull();
    expect((await call(new URL(logo.url).pathname)).status).toBe(200); // credentials issued with it still name it
  });

  it("stores the certificate template on create and on PUT, refusing bad fields by name", async () => {
    const org = await makeOrg("template");
    const plain = await makeAchievement(org);
    expect((plain as unknown as { certificate: unknown }).certificate).toEqual({ pageSize: "A4", accentColor: "#175a3d", title: "Certificate of achievement" });
    const bad = await call(`/v1/achievements/${plain.id}/certificate`, { method: "PUT", token: org.apiKey, json: { pageSize: "A3", accentColor: "red", title: "" } });
    expect(bad.status).toBe(400);
    expect((await problem(bad)).errors!.map((e) => e.field).sort()).toEqual(["accentColor", "pageSize", "title"]);
    const put = await call(`/v1/achievements/${plain.id}/certificate`, { method: "PUT", token: org.apiKey, json: { accentColor: "#1A56DB" } });
    expect(((await put.json()) as { certificate: unknown }).certificate).toEqual({ pageSize: "A4", accentColor: "#1a56db", title: "Certificate of achievement" });
    const got = await call(`/v1/achievements/${plain.id}`, { token: org.apiKey });
    expect(((await got.json()) as { certificate: { accentColor: string } }).certificate.accentColor).toBe("#1a56db");
    const other = await makeOrg("template-other");
    expect((await call(`/v1/achievements/${plain.id}/certificate`, { method: "PUT", token: other.apiKey, json: {} })).status).toBe(404);
  });
});
