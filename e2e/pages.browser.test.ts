// The public pages in a real browser against the real local stack: the credential page on a phone
// (banner, LinkedIn deep link, Open Graph tags, no third-party requests, no JavaScript needed) and
// the in-browser verifier, which keeps verifying offline from its service worker's cache.
import path from "node:path";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchBrowser, PHONE, seriousAxeViolations } from "./support/browser.ts";
import { createAchievement, createOrg, issueCredential, revokeCredential, type IssuedCredential } from "./support/issuer-api.ts";
import { startStack, type RunningStack } from "./support/stack.ts";

let stack: RunningStack;
let browser: Browser;
let valid: IssuedCredential;
let revoked: IssuedCredential;
let otherIssuer: IssuedCredential;

beforeAll(async () => {
  stack = await startStack();
  browser = await launchBrowser();
  const suffix = crypto.randomUUID().slice(0, 8);
  const org = await createOrg(stack, "Acme Academy", `acme-${suffix}`);
  const achievement = await createAchievement(stack, org.apiKey, {
    name: "Rust Fundamentals",
    description: "Demonstrated ownership, borrowing and safe concurrency in Rust.",
    criteria: { narrative: "Passed the 90-minute practical exam with a score of 80% or more." },
  });
  valid = await issueCredential(stack, org.apiKey, {
    achievementId: achievement.id,
    recipient: { name: "Ada Lovelace", email: "ada@example.com" },
    validUntil: "2029-06-30T00:00:00Z",
  });
  revoked = await issueCredential(stack, org.apiKey, { achievementId: achievement.id, recipient: { name: "Charles Babbage", email: "cb@example.com" } });
  await revokeCredential(stack, org.apiKey, revoked.id, "Issued to the wrong person");
  const other = await createOrg(stack, "Globex Institute", `globex-${suffix}`);
  const otherAchievement = await createAchievement(stack, other.apiKey, { name: "Safety Basics", description: "d", criteria: { narrative: "c" } });
  otherIssuer = await issueCredential(stack, other.apiKey, { achievementId: otherAchievement.id, recipient: { name: "Grace Hopper", email: "g@example.com" } });
});

afterAll(async () => {
  await browser?.close();
  await stack?.dispose();
});

/** Fails the test on any request that leaves this deployment, and on CSP violations. */
function watchPage(page: Page): { external: string[]; cspErrors: string[] } {
  const seen = { external: [] as string[], cspErrors: [] as string[] };
  page.on("request", (req) => {
    const url = req.url();
    if (!url.startsWith(stack.edgeUrl) && !url.startsWith("data:")) seen.external.push(url);
  });
  page.on("console", (msg) => {
    if (/Content Security Policy/i.test(msg.text())) seen.cspErrors.push(msg.text());
  });
  return seen;
}

async function meta(page: Page, key: string): Promise<string | null> {
  return page.locator(`meta[property="${key}"], meta[name="${key}"]`).first().getAttribute("content");
}

describe("credential page /c/:id on a phone", () => {
  it("shows the verified banner, the LinkedIn deep link and the social card tags, with nothing third-party", async () => {
    const context = await browser.newContext(PHONE);
    const page = await context.newPage();
    const seen = watchPage(page);
    const res = await page.goto(valid.verifyUrl, { waitUntil: "networkidle" });
    expect(res?.status()).toBe(200);

    const banner = page.locator(".banner");
    await expect.poll(() => banner.getAttribute("data-status")).toBe("valid");
    expect(await banner.locator(".banner__title").textContent()).toBe("Verified");
    expect(await page.locator("h1").textContent()).toBe("Rust Fundamentals");
    expect(await page.locator("#recipient").textContent()).toBe("Ada Lovelace");
    expect(await page.locator(".hero__badge").evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0)).toBe(true);

    // The button goes through the edge's counting redirect (a share), which sends on to LinkedIn.
    const button = (await page.locator("#linkedin-add").getAttribute("href"))!;
    expect(button).toBe(`${valid.verifyUrl}/linkedin`);
    const redirect = await fetch(button, { redirect: "manual" });
    expect(redirect.status).toBe(302);
    const linkedIn = new URL(redirect.headers.get("location")!);
    expect(linkedIn.origin + linkedIn.pathname).toBe("https://www.linkedin.com/profile/add");
    const issuedAt = new Date((await (await fetch(`${stack.edgeUrl}/c/${valid.id}.json`)).json()).validFrom);
    expect(Object.fromEntries(linkedIn.searchParams)).toEqual({
      startTask: "CERTIFICATION_NAME",
      name: "Rust Fundamentals",
      organizationName: "Acme Academy",
      issueYear: String(issuedAt.getUTCFullYear()),
      issueMonth: String(issuedAt.getUTCMonth() + 1),
      expirationYear: "2029",
      expirationMonth: "6",
      certUrl: valid.verifyUrl,
      certId: valid.id,
    });

    expect(await meta(page, "og:title")).toBe("Ada Lovelace: Rust Fundamentals");
    expect(await meta(page, "og:url")).toBe(valid.verifyUrl);
    expect(await meta(page, "og:image")).toBe(`${valid.verifyUrl}/card.png`);
    expect(await meta(page, "og:image:width")).toBe("1200");
    expect(await meta(page, "og:image:height")).toBe("627");
    expect(await meta(page, "twitter:card")).toBe("summary_large_image");
    const card = await fetch((await meta(page, "og:image"))!);
    expect(card.headers.get("content-type")).toBe("image/png");

    // The page fits the phone: no horizontal scrolling.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await page.screenshot({ path: path.join(stack.dataDir, "credential-phone.png"), fullPage: true });
    expect(seen.external).toEqual([]);
    expect(seen.cspErrors).toEqual([]);
    await context.close();
  });

  it("works without JavaScript and shows a revocation with the issuer's reason", async () => {
    const context = await browser.newContext({ ...PHONE, javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(valid.verifyUrl);
    expect(await page.locator(".banner").getAttribute("data-status")).toBe("valid");
    expect(await page.locator('a[download$=".jwt"]').getAttribute("href")).toBe(`${valid.verifyUrl}.jwt`);
    // Reloaded, as a visitor would: the page is cacheable for 60 s, and a plain second visit within
    // that time shows the copy from before the revocation reached the edge (a reload revalidates).
    await page.goto(revoked.verifyUrl);
    await expect
      .poll(async () => {
        await page.reload();
        return page.locator(".banner").getAttribute("data-status");
      }, { timeout: 15_000, interval: 500 })
      .toBe("revoked");
    expect(await page.locator(".banner__text").textContent()).toContain("Issued to the wrong person");
    expect(await page.locator("#linkedin-add").count()).toBe(0);
    const missing = await page.goto(`${stack.edgeUrl}/c/${crypto.randomUUID()}`);
    expect(missing?.status()).toBe(404);
    expect(await page.locator("h1").textContent()).toBe("Credential not found");
    await context.close();
  });
});

describe("accessibility (axe-core)", () => {
  it("the credential pages (valid, revoked, not found), the embed and the verifier have no serious or critical violations", async () => {
    const context = await browser.newContext(PHONE);
    const page = await context.newPage();
    const pages = [valid.verifyUrl, revoked.verifyUrl, `${stack.edgeUrl}/c/${crypto.randomUUID()}`, `${valid.verifyUrl}/embed`, `${stack.edgeUrl}/verify`];
    for (const url of pages) {
      await page.goto(url, { waitUntil: "networkidle" });
      expect({ url, violations: await seriousAxeViolations(page) }).toEqual({ url, violations: [] });
    }
    await context.close();
  });
});

describe("in-browser verifier /verify", () => {
  let context: BrowserContext;
  let page: Page;

  async function verifyPasted(text: string): Promise<{ status: string | null; checks: Record<string, string | null> }> {
    await page.locator("#jwt-input").fill(text);
    // Forget the previous answer first, so the wait below cannot be satisfied by it.
    await page.evaluate(() => document.querySelector("#result")?.removeAttribute("data-state"));
    await page.locator("#verify-button").click();
    await page.locator('#result[data-state="done"]').waitFor();
    const status = await page.locator("#result .banner").getAttribute("data-status");
    const checks: Record<string, string | null> = {};
    for (const li of await page.locator("#result [data-check]").all()) checks[(await li.getAttribute("data-check"))!] = await li.getAttribute("data-ok");
    return { status, checks };
  }

  beforeAll(async () => {
    context = await browser.newContext(PHONE);
    page = await context.newPage();
  });
  afterAll(async () => context?.close());

  it("verifies a pasted JWT and a baked PNG with the issuer's keys and status list from this site", async () => {
    const seen = watchPage(page);
    await page.goto(`${stack.edgeUrl}/verify`);
    // The service worker must control the page before it can keep what the page fetches.
    await page.waitForFunction(() => navigator.serviceWorker.controller !== null, undefined, { timeout: 15_000 });

    const result = await verifyPasted(valid.jwt);
    expect(result.status).toBe("valid");
    expect(result.checks).toMatchObject({ signature: "true", key: "true", status: "true", valid_until: "true" });
    expect(await page.locator('#result [data-field="recipient"]').textContent()).toBe("Ada Lovelace");
    // The origin signs its lists with a validity period; the answer says when the list was signed.
    expect(await page.locator("#result .banner__text").textContent()).toMatch(/not revoked as of \d{1,2} \w+ \d{4}/);

    const png = Buffer.from(await (await fetch(`${valid.verifyUrl}/badge.png`)).arrayBuffer());
    await page.evaluate(() => document.querySelector("#result")?.removeAttribute("data-state"));
    await page.locator("#file-input").setInputFiles({ name: "badge.png", mimeType: "image/png", buffer: png });
    await page.locator('#result[data-state="done"]').waitFor();
    expect(await page.locator("#result .banner").getAttribute("data-status")).toBe("valid");

    expect((await verifyPasted("not a credential")).status).toBe("invalid");
    const tampered = valid.jwt.slice(0, -4) + (valid.jwt.endsWith("AAAA") ? "BBBB" : "AAAA");
    expect((await verifyPasted(tampered)).status).toBe("invalid");
    expect(seen.external).toEqual([]);
    expect(seen.cspErrors).toEqual([]);
  });

  it("keeps verifying offline from the service worker's cache; an issuer never seen is unknown", async () => {
    await context.setOffline(true);
    try {
      await page.reload();
      await page.locator("#verify-form").waitFor();
      const offline = await verifyPasted(valid.jwt);
      expect(offline.status).toBe("valid");
      expect(offline.checks.status).toBe("true");

      const unseen = await verifyPasted(otherIssuer.jwt);
      expect(unseen.status).toBe("unknown");
      expect(unseen.checks.key).toBe("false");
      await page.screenshot({ path: path.join(stack.dataDir, "verify-offline-phone.png"), fullPage: true });
    } finally {
      await context.setOffline(false);
    }
  });
});
