// Rendering of the public pages: escaping, banners per status, LinkedIn deep link, Open Graph
// tags, oEmbed URL validation and the 404 page. Pure functions, run in workerd.
import { describe, expect, it } from "vitest";
import type { CredentialProjection } from "../../shared/kv-keys.ts";
import type { VerificationResult, VerificationStatus } from "../../shared/verify/types.ts";
import { renderCredentialPage, safeHttpUrl } from "./credential-page.ts";
import { renderEmbed } from "./embed.ts";
import { html, unsafeRaw } from "./html.ts";
import { linkedInAddToProfileUrl, linkedInUrlFor } from "./linkedin.ts";
import { renderNotFoundPage } from "./not-found.ts";
import { buildOembed, credentialIdFromPageUrl } from "./oembed.ts";
import { qrSvg } from "./qr.ts";
import { renderBanner } from "./result.ts";

const BASE = "https://verify.example.test";
const ID = "0f8fad5b-d9cb-469f-a165-70867728950e";

function projection(over: Partial<CredentialProjection> = {}): CredentialProjection {
  return {
    id: ID,
    jwt: "x.y.z",
    orgSlug: "acme",
    issuer: { id: "did:web:verify.example.test:issuers:acme", name: "Acme Academy", url: "https://acme.example" },
    achievement: { id: "https://acme.example/a/1", name: "Rust Fundamentals", description: "Wrote safe Rust.", criteria: "Passed the exam." },
    recipientName: "Ada Lovelace",
    validFrom: "2026-03-05T10:00:00Z",
    validUntil: "2028-09-30T00:00:00Z",
    statusListId: "list-1",
    statusIndex: 7,
    issuedAt: "2026-03-05T10:00:01Z",
    version: 3,
    ...over,
  };
}

function result(status: VerificationStatus, reason?: string): VerificationResult {
  return {
    verified: status === "valid",
    status,
    ...(reason ? { reason } : {}),
    checks: [
      { name: "signature", ok: status !== "invalid", detail: "ES256" },
      { name: "status", ok: status !== "revoked", ...(status === "revoked" ? { detail: `revoked: ${reason}` } : {}) },
    ],
    credential: {
      id: `urn:uuid:${ID}`,
      name: "Rust Fundamentals",
      issuer: { id: "did:web:verify.example.test:issuers:acme", name: "Acme Academy" },
      recipientName: "Ada Lovelace",
      achievement: { name: "Rust Fundamentals" },
      validFrom: "2026-03-05T10:00:00Z",
      validUntil: "2028-09-30T00:00:00Z",
    },
  };
}

function metaContent(page: string, key: string): string | undefined {
  const re = new RegExp(`<meta (?:property|name)="${key.replace(/[:.]/g, "\\$&")}" content="([^"]*)">`);
  return re.exec(page)?.[1]?.replaceAll("&amp;", "&");
}

describe("html template", () => {
  it("escapes interpolated text in content and attributes, keeps SafeHtml", () => {
    const name = `<script>alert("x")</script>' onload='`;
    const out = html`<p title="${name}">${name}</p>${unsafeRaw("<b>ok</b>")}`.value;
    expect(out).toBe(
      '<p title="&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&#39; onload=&#39;">&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&#39; onload=&#39;</p><b>ok</b>',
    );
  });

  it("escapes a recipient name with <script> everywhere on the credential page", () => {
    const evil = '<script>alert(1)</script>"><img src=x onerror=alert(2)>';
    const page = renderCredentialPage(
      { projection: projection({ recipientName: evil, achievement: { ...projection().achievement, description: "<iframe src=//evil>" } }), result: result("valid") },
      BASE,
    );
    expect(page).not.toContain("<script>alert(1)");
    expect(page).not.toContain("<img src=x");
    expect(page).not.toContain("<iframe src=//evil>");
    expect(page).toContain("&lt;script&gt;alert(1)&lt;/script&gt;&quot;&gt;&lt;img src=x onerror=alert(2)&gt;");
    // The only <script> elements are our own same-origin module.
    expect(page.match(/<script\b[^>]*>/g)).toEqual(['<script type="module" src="/assets/page.js">']);
  });

  it("never links an issuer URL that is not http(s)", () => {
    expect(safeHttpUrl("javascript:alert(1)")).toBeUndefined();
    const page = renderCredentialPage({ projection: projection({ issuer: { ...projection().issuer, url: "javascript:alert(1)" } }), result: result("valid") }, BASE);
    expect(page).not.toContain("javascript:");
  });
});

describe("status banner", () => {
  const cases: [VerificationStatus, string, RegExp][] = [
    ["valid", "Verified", /Issued by Acme Academy, signature checked, not revoked/],
    ["revoked", "Revoked", /Acme Academy revoked this credential\. Reason: Awarded in error/],
    ["expired", "Expired", /expired on 30 September 2028/],
    ["not_yet_valid", "Not yet valid", /becomes valid on 5 March 2026/],
    ["unknown", "Could not be verified", /could not be made right now \(status list unreachable\)/],
    ["invalid", "Invalid credential", /failed verification: bad signature/],
  ];
  it.each(cases)("%s → %s", (status, title, message) => {
    const reason = status === "revoked" ? "Awarded in error" : status === "unknown" ? "status list unreachable" : status === "invalid" ? "bad signature" : undefined;
    const banner = renderBanner(result(status, reason), "Acme Academy").value;
    expect(banner).toContain(`data-status="${status}"`);
    expect(banner).toContain(`<p class="banner__title">${title}</p>`);
    expect(banner).toMatch(message);
  });

  it("escapes the issuer's revocation reason", () => {
    const banner = renderBanner(result("revoked", "<b>fraud</b>"), "Acme").value;
    expect(banner).toContain("Reason: &lt;b&gt;fraud&lt;/b&gt;");
  });
});

describe("LinkedIn add-to-profile link", () => {
  it("uses LinkedIn's certification parameters with UTC months 1-12", () => {
    const url = new URL(
      linkedInAddToProfileUrl({
        name: "Rust & Safety",
        organizationName: "Acme Academy",
        issued: "2026-01-31T23:30:00Z",
        expires: "2027-12-01T00:00:00Z",
        certUrl: `${BASE}/c/${ID}`,
        certId: ID,
      }),
    );
    expect(url.origin + url.pathname).toBe("https://www.linkedin.com/profile/add");
    expect(Object.fromEntries(url.searchParams)).toEqual({
      startTask: "CERTIFICATION_NAME",
      name: "Rust & Safety",
      organizationName: "Acme Academy",
      issueYear: "2026",
      issueMonth: "1",
      expirationYear: "2027",
      expirationMonth: "12",
      certUrl: `${BASE}/c/${ID}`,
      certId: ID,
    });
  });

  it("omits the expiration when the credential does not expire", () => {
    const url = new URL(linkedInAddToProfileUrl({ name: "n", organizationName: "o", issued: "2026-05-01T00:00:00Z", certUrl: "https://x/c/1", certId: "1" }));
    expect(url.searchParams.has("expirationYear")).toBe(false);
    expect(url.searchParams.has("expirationMonth")).toBe(false);
    expect(url.searchParams.get("issueMonth")).toBe("5");
  });

  it("is offered on a verified credential's page only, through the edge's counting redirect", () => {
    const valid = renderCredentialPage({ projection: projection(), result: result("valid") }, BASE);
    const href = /id="linkedin-add" href="([^"]+)"/.exec(valid)?.[1];
    expect(href).toBe(`${BASE}/c/${ID}/linkedin`);
    const revoked = renderCredentialPage({ projection: projection(), result: result("revoked", "x") }, BASE);
    expect(revoked).not.toContain('id="linkedin-add"');
    expect(revoked).not.toContain("/linkedin");
  });

  it("is built from the stored credential for the redirect", () => {
    const params = new URL(linkedInUrlFor(projection(), BASE)).searchParams;
    expect(params.get("name")).toBe("Rust Fundamentals");
    expect(params.get("organizationName")).toBe("Acme Academy");
    expect(params.get("issueYear")).toBe("2026");
    expect(params.get("issueMonth")).toBe("3");
    expect(params.get("expirationYear")).toBe("2028");
    expect(params.get("expirationMonth")).toBe("9");
    expect(params.get("certUrl")).toBe(`${BASE}/c/${ID}`);
    expect(params.get("certId")).toBe(ID);
  });
});

describe("credential page metadata", () => {
  const page = renderCredentialPage({ projection: projection(), result: result("valid") }, BASE);

  it("has Open Graph and Twitter tags for the social card", () => {
    expect(metaContent(page, "og:title")).toBe("Ada Lovelace: Rust Fundamentals");
    expect(metaContent(page, "og:description")).toContain("issued by Acme Academy");
    expect(metaContent(page, "og:url")).toBe(`${BASE}/c/${ID}`);
    expect(metaContent(page, "og:image")).toBe(`${BASE}/c/${ID}/card.png`);
    expect(metaContent(page, "og:image:width")).toBe("1200");
    expect(metaContent(page, "og:image:height")).toBe("627");
    expect(metaContent(page, "twitter:card")).toBe("summary_large_image");
    expect(metaContent(page, "twitter:image")).toBe(`${BASE}/c/${ID}/card.png`);
  });

  it("is an accessible document: lang, landmarks, one h1, alt text on the badge", () => {
    expect(page).toMatch(/^<!doctype html><html lang="en">/);
    for (const tag of ["<header", "<main", "<footer"]) expect(page).toContain(tag);
    expect(page.match(/<h1\b/g)).toHaveLength(1);
    expect(page).toContain(`src="/c/${ID}/badge.png" alt="Badge: Rust Fundamentals"`);
  });

  it("offers downloads, an embed snippet, a QR code and oEmbed discovery; loads nothing third-party", () => {
    for (const href of [`${BASE}/c/${ID}.jwt`, `${BASE}/c/${ID}.json`, `${BASE}/c/${ID}/badge.png`, `${BASE}/c/${ID}/certificate.pdf`]) expect(page).toContain(`href="${href}"`);
    expect(page).toContain(">Download certificate (PDF)</a>");
    expect(page).toContain(`&lt;iframe src=&quot;${BASE}/c/${ID}/embed&quot;`);
    expect(page).toMatch(/<svg xmlns="http:\/\/www.w3.org\/2000\/svg" role="img" aria-label="QR code linking to/);
    expect(page).toContain(`type="application/json+oembed"`);
    const loaded = [...page.matchAll(/<(?:img|script|link|iframe)\b[^>]*\b(?:src|href)="([^"]+)"/g)].map((m) => m[1]!);
    expect(loaded.length).toBeGreaterThan(2);
    for (const url of loaded) expect(url.startsWith("/") || url.startsWith(BASE) || url.startsWith("data:")).toBe(true);
  });

  it("lists every check under 'How this was verified'", () => {
    expect(page).toContain("How this was verified");
    expect(page).toContain('data-check="signature" data-ok="true"');
    expect(page).toContain('data-check="status" data-ok="true"');
  });
});

describe("QR code", () => {
  it("is a square SVG with a label, and differs by URL", () => {
    const a = qrSvg(`${BASE}/c/${ID}`, "QR").value;
    const b = qrSvg(`${BASE}/c/other`, "QR").value;
    expect(a).toMatch(/^<svg [^>]*viewBox="0 0 (\d+) \1"/);
    expect(a).not.toBe(b);
  });
});

describe("oEmbed", () => {
  it("accepts only this deployment's /c/:id URLs", () => {
    expect(credentialIdFromPageUrl(`${BASE}/c/${ID}`, BASE)).toBe(ID);
    expect(credentialIdFromPageUrl(`${BASE}/c/${ID.toUpperCase()}/`, BASE)).toBe(ID);
    expect(credentialIdFromPageUrl(`https://evil.example/c/${ID}`, BASE)).toBeNull();
    expect(credentialIdFromPageUrl(`http://verify.example.test/c/${ID}`, BASE)).toBeNull();
    expect(credentialIdFromPageUrl(`${BASE}/c/${ID}/embed`, BASE)).toBeNull();
    expect(credentialIdFromPageUrl(`${BASE}/c/not-a-uuid`, BASE)).toBeNull();
    expect(credentialIdFromPageUrl(`${BASE}/x/c/${ID}`, BASE)).toBeNull();
    expect(credentialIdFromPageUrl("not a url", BASE)).toBeNull();
    expect(credentialIdFromPageUrl(null, BASE)).toBeNull();
    expect(credentialIdFromPageUrl(`https://h.example/laurel/c/${ID}`, "https://h.example/laurel")).toBe(ID);
  });

  it("answers a rich type with an iframe of the embed, sized within maxwidth", () => {
    const body = buildOembed(projection(), BASE, { maxwidth: 300 });
    expect(body).toMatchObject({
      version: "1.0",
      type: "rich",
      provider_name: "Laurel",
      title: "Rust Fundamentals: Ada Lovelace",
      width: 300,
      thumbnail_url: `${BASE}/c/${ID}/card.png`,
      thumbnail_width: 1200,
      thumbnail_height: 627,
    });
    expect(body.html).toBe(
      `<iframe src="${BASE}/c/${ID}/embed" title="Rust Fundamentals: Ada Lovelace" width="300" height="${body.height}" style="border:0;max-width:100%" loading="lazy"></iframe>`,
    );
  });
});

describe("embed widget and 404 page", () => {
  it("embed shows the live status and escapes names", () => {
    const widget = renderEmbed({ projection: projection({ recipientName: "<i>Ada</i>" }), result: result("revoked", "x") }, BASE);
    expect(widget).toContain('data-status="revoked"');
    expect(widget).toContain("&lt;i&gt;Ada&lt;/i&gt;");
    expect(widget).not.toContain("<script");
  });

  it("404 page is HTML with a way forward", () => {
    const page = renderNotFoundPage();
    expect(page).toContain("<h1 id=\"nf-title\">Credential not found</h1>");
    expect(page).toContain('href="/verify"');
    expect(page).toContain('<meta name="robots" content="noindex">');
  });
});
