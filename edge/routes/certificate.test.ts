// GET /c/:id/certificate.pdf (served from KV when it shows the credential's state, else rendered
// by the origin) and POST /api/v1/verify with a certificate PDF.
import { afterEach, describe, expect, it } from "vitest";
import { pdfLibWithAttachment } from "../../shared/bake/pdf-fixtures.ts";
import { kvKeys } from "../../shared/kv-keys.ts";
import type { VerificationResult } from "../../shared/verify/types.ts";
import { call, origin, seedWorld, testEnv } from "../test/fixtures.ts";
import { certificateFileName } from "./certificate.ts";

afterEach(async () => {
  await origin.testReset();
});

const renders = async (id: string) => (await origin.testCalls()).filter((c) => c.method === "renderCertificate" && c.key === id).length;

describe("GET /c/:id/certificate.pdf", () => {
  it("asks the origin to render a missing certificate, then serves the stored one with an ETag", async () => {
    const { creds } = await seedWorld();
    const { id, jwt } = creds[0]!;
    const pdf = await pdfLibWithAttachment(jwt);
    await origin.testSeed({ certificates: { [id]: { pdf: [...pdf], metadata: { version: 1, revoked: false } } } });

    const first = await call(`/c/${id}/certificate.pdf`);
    expect(first.status).toBe(200);
    expect(first.headers.get("content-type")).toBe("application/pdf");
    expect(first.headers.get("content-disposition")).toBe('inline; filename="edge-caching-101-certificate.pdf"');
    expect(first.headers.get("etag")).toBe('"d1-a"');
    expect(first.headers.get("cache-control")).toBe("public, max-age=3600");
    expect(new Uint8Array(await first.arrayBuffer())).toEqual(pdf);
    expect(await renders(id)).toBe(1);

    // What the origin stores (the stub does not write KV): served without asking it again.
    await testEnv.PROJECTIONS.put(kvKeys.certificatePdf(id), pdf, { metadata: { version: 1, revoked: false } });
    const stored = await call(`/c/${id}/certificate.pdf`);
    expect(new Uint8Array(await stored.arrayBuffer())).toEqual(pdf);
    expect((await call(`/c/${id}/certificate.pdf`, { headers: { "if-none-match": '"d1-a"' } })).status).toBe(304);
    expect(await renders(id)).toBe(1);
  });

  it("re-renders a stored certificate that predates a revocation", async () => {
    const { creds } = await seedWorld({ revoked: { 0: "Issued in error" } });
    const { id, jwt } = creds[0]!;
    const pdf = await pdfLibWithAttachment(jwt);
    await testEnv.PROJECTIONS.put(kvKeys.certificatePdf(id), pdf, { metadata: { version: 1, revoked: false } });
    await origin.testSeed({ certificates: { [id]: { pdf: [...pdf, 0x0a], metadata: { version: 1, revoked: true } } } });
    const res = await call(`/c/${id}/certificate.pdf`);
    expect(res.status).toBe(200);
    expect(res.headers.get("etag")).toBe('"d1-r"');
    expect((await res.arrayBuffer()).byteLength).toBe(pdf.length + 1);
    expect(await renders(id)).toBe(1);
  });

  it("answers 404 for unknown ids and 503 with Retry-After when nothing is stored and the origin fails", async () => {
    const missing = await call(`/c/${crypto.randomUUID()}/certificate.pdf`);
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ code: "CREDENTIAL_NOT_FOUND" });

    const { creds } = await seedWorld();
    await origin.testSetDown(true);
    const down = await call(`/c/${creds[0]!.id}/certificate.pdf`);
    expect(down.status).toBe(503);
    expect(down.headers.get("retry-after")).toBe("30");
    expect(await down.json()).toMatchObject({ code: "CERTIFICATE_UNAVAILABLE" });
  });

  it("names the download after the achievement with ASCII letters, digits and dashes only", () => {
    expect(certificateFileName("Édge Caching: 101 / Advanced")).toBe("edge-caching-101-advanced-certificate.pdf");
    expect(certificateFileName('"; rm -rf /')).toBe("rm-rf-certificate.pdf");
    expect(certificateFileName("李小龍")).toBe("credential-certificate.pdf");
  });
});

describe("POST /api/v1/verify with application/pdf", () => {
  const post = (body: Uint8Array) => call("/api/v1/verify", { method: "POST", headers: { "content-type": "application/pdf" }, body });

  it("verifies the credential embedded in a certificate", async () => {
    const { creds } = await seedWorld();
    const res = await post(await pdfLibWithAttachment(creds[0]!.jwt, { useObjectStreams: true }));
    expect(res.status).toBe(200);
    expect(await res.json<VerificationResult>()).toMatchObject({ verified: true, status: "valid" });
  });

  it("answers 400 naming the problem for other bodies", async () => {
    const notPdf = await post(new TextEncoder().encode("hello"));
    expect(notPdf.status).toBe(400);
    expect(await notPdf.json()).toMatchObject({ code: "NOT_PDF" });
    const empty = await post(await pdfLibWithAttachment("a.b.c", { name: "notes.txt" }));
    expect(empty.status).toBe(400);
    expect(await empty.json()).toMatchObject({ code: "NO_CREDENTIAL", errors: [{ field: "body", rule: "no_credential" }] });
  });
});
