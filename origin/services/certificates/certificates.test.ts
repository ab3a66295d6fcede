// Certificate PDFs (origin/services/certificates): rendered from the database's state through
// EdgeApi.renderCertificate, stored in KV with the state they show, the credential embedded as
// `credential.jwt` and read back by the shared extractor; revocation changes what is drawn.
import { reset } from "cloudflare:test";
import { PDFDocument } from "pdf-lib";
import { afterEach, describe, expect, it } from "vitest";
import { extractFromPdf } from "../../../shared/bake/pdf.ts";
import { kvKeys, type CertificateMetadata } from "../../../shared/kv-keys.ts";
import { EdgeApi } from "../../rpc/edge-api.ts";
import { deliver, newIssuer, originEnv, testEnv } from "../../test/queue-fixtures.ts";
import { revokeCredential } from "../credentials/revoke.ts";
import { issueCredentials } from "../issuance/issue.ts";
import { loadCredentialProjections } from "../publication/credential-projection.ts";
import { CertificateFonts, FALLBACK_CHARACTER } from "./fonts.ts";
import { certificateIsCurrent } from "./publish.ts";
import { PAGE_SIZES, renderCertificatePdf } from "./render.ts";
import { testContext } from "../../test/execution-context.ts";

afterEach(() => reset());

async function issueOne(name: string) {
  const issuer = await newIssuer("Université Laurel");
  const [result] = await issueCredentials(originEnv, {
    org: { id: issuer.org.id, slug: issuer.org.slug, name: issuer.org.name, url: null },
    achievement: issuer.achievement,
    recipients: [{ name, email: "someone@example.org" }],
    requestId: "req-test",
  });
  if (!result?.ok) throw new Error("issue failed");
  return { ...issuer, credential: result };
}

const api = () => new EdgeApi(testContext(), originEnv);
const latin1 = (bytes: Uint8Array) => new TextDecoder("latin1").decode(bytes);

// A first render in an isolate converts the fonts and draws the badge base: slow on a loaded machine.
describe("certificate PDFs", { timeout: 60_000 }, () => {
  it("embed the credential as credential.jwt (an associated file) with metadata from the credential", async () => {
    const { org, db, achievement, credential } = await issueOne("Ada Lovelace");
    const rendered = await api().renderCertificate(credential.credentialId);
    expect(rendered).not.toBeNull();
    const pdf = new Uint8Array(rendered!.pdf);
    expect(pdf.length).toBeLessThan(200_000);
    expect(extractFromPdf(pdf)).toBe(credential.jwt);

    const text = latin1(pdf);
    expect(text).toMatch(/\/AFRelationship \/Data/);
    expect(text).toMatch(/\/AF \[/);
    expect(text).toMatch(/\/Subtype \/application#2Fvc\+jwt/);

    const doc = await PDFDocument.load(pdf, { updateMetadata: false });
    expect(doc.getPageCount()).toBe(1);
    const { width, height } = doc.getPage(0).getSize();
    expect([width, height]).toEqual([...PAGE_SIZES.A4]);
    expect(doc.getTitle()).toBe(`${achievement.name}: Ada Lovelace`);
    expect(doc.getAuthor()).toBe(org.name);
    expect(doc.getSubject()).not.toContain("revoked");
    const projection = (await loadCredentialProjections(db, originEnv, [credential.credentialId])).get(credential.credentialId);
    expect(doc.getCreationDate()?.toISOString()).toBe(new Date(projection!.issuedAt).toISOString().replace(/\.\d{3}Z$/, ".000Z"));
  });

  it("are stored in KV with the state they show, and a revocation makes that state outdated", async () => {
    const { org, db, credential } = await issueOne("Grace Hopper");
    const id = credential.credentialId;
    const first = await api().renderCertificate(id);
    const stored = await originEnv.PROJECTIONS.getWithMetadata<CertificateMetadata>(kvKeys.certificatePdf(id), "arrayBuffer");
    expect(stored.metadata).toEqual({ version: first!.metadata.version, revoked: false });
    expect(new Uint8Array(stored.value!)).toEqual(new Uint8Array(first!.pdf));

    await revokeCredential(db, org.id, id, "Issued in error");
    const projection = (await loadCredentialProjections(db, originEnv, [id])).get(id)!;
    expect(await certificateIsCurrent(originEnv, projection)).toBe(false);

    const revoked = await api().renderCertificate(id);
    expect(revoked!.metadata.revoked).toBe(true);
    expect(revoked!.metadata.version).toBeGreaterThan(first!.metadata.version);
    expect(await certificateIsCurrent(originEnv, projection)).toBe(true);
    const doc = await PDFDocument.load(new Uint8Array(revoked!.pdf), { updateMetadata: false });
    expect(doc.getSubject()).toContain("(revoked)");
    expect(doc.getModificationDate()?.getTime()).toBeGreaterThan(doc.getCreationDate()!.getTime() - 1);
    // The revoked page draws more (the mark and the reason) than the active one.
    expect(revoked!.pdf.byteLength).toBeGreaterThan(first!.pdf.byteLength);
    expect(extractFromPdf(new Uint8Array(revoked!.pdf))).toBe(credential.jwt);
  });

  it("are rendered in the background by credential.publish: on single issuance, and again after a revocation", async () => {
    const { org, db, credential } = await issueOne("Katherine Johnson");
    const id = credential.credentialId;
    const e = testEnv();
    await deliver(e, [{ type: "credential.publish", credentialId: id, requestId: "r", fresh: true }]);
    const issued = await originEnv.PROJECTIONS.getWithMetadata<CertificateMetadata>(kvKeys.certificatePdf(id), "arrayBuffer");
    expect(issued.metadata?.revoked).toBe(false);
    expect(extractFromPdf(new Uint8Array(issued.value!))).toBe(credential.jwt);

    await revokeCredential(db, org.id, id, "Issued in error");
    await deliver(e, [{ type: "credential.publish", credentialId: id, requestId: "r2", card: "lazy" }]);
    const revoked = await originEnv.PROJECTIONS.getWithMetadata<CertificateMetadata>(kvKeys.certificatePdf(id), "arrayBuffer");
    expect(revoked.metadata?.revoked).toBe(true);
    expect(revoked.metadata!.version).toBeGreaterThan(issued.metadata!.version);
  });

  it("answer null for unknown ids without writing anything", async () => {
    const id = crypto.randomUUID();
    expect(await api().renderCertificate(id)).toBeNull();
    expect(await api().renderCertificate("not-a-uuid")).toBeNull();
    expect(await originEnv.PROJECTIONS.get(kvKeys.certificatePdf(id))).toBeNull();
  });

  it("draw names in Latin, Cyrillic, Greek and Vietnamese, and a replacement for scripts without a face", async () => {
    const input = {
      jwt: "a.b.c",
      verifyUrl: "https://verify.example.test/c/00000000-0000-4000-8000-000000000000",
      achievementName: "Ελληνικά και Tiếng Việt",
      achievementDescription: "Long description ".repeat(80),
      issuerName: "Дмитрий University",
      issuedAt: "2026-01-02T03:04:05.000Z",
      validFrom: "2026-01-02T03:04:05.000Z",
      validUntil: "2027-01-02T03:04:05.000Z",
    };
    const pdf = await renderCertificatePdf({ ...input, recipientName: "Zoë Ångström-Łukasiewicz 李小龍 🎓" });
    expect(extractFromPdf(pdf)).toBe("a.b.c");
    // Faces drawn: Latin bold, Latin regular, Latin Extended (Ł), Greek, Vietnamese, Cyrillic.
    expect(latin1(pdf).match(/\/FontFile\d? /g)?.length).toBeGreaterThanOrEqual(5);
    const fonts = new CertificateFonts(await PDFDocument.create());
    expect((await fonts.runs("Zoë 李🎓 Дима", "regular")).map((r) => r.text).join("")).toBe(`Zoë ${FALLBACK_CHARACTER}${FALLBACK_CHARACTER} Дима`);
    const letter = await renderCertificatePdf({ ...input, recipientName: "Ada", pageSize: "Letter" });
    const doc = await PDFDocument.load(letter);
    expect(Object.values(doc.getPage(0).getSize())).toEqual([...PAGE_SIZES.Letter]);
  });
});
