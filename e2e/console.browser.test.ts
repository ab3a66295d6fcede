// The issuer console in a real browser against the real local stack (what `npm start` runs), on a
// phone-sized viewport, keyboard first: the demo owner signs in with the printed password, issues a
// credential, finds it by email and revokes it (the public page then shows it revoked), invites a
// viewer who cannot issue, and a wrong password locks the account; an operator opens /ops from the
// console. axe-core on every page.
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { demoOwnerPassword } from "../local/console-owner.ts";
import { launchBrowser, PHONE, seriousAxeViolations } from "./support/browser.ts";
import { startStack, type RunningStack } from "./support/stack.ts";

let stack: RunningStack;
let browser: Browser;
let owner: BrowserContext;
let page: Page;

beforeAll(async () => {
  stack = await startStack();
  browser = await launchBrowser();
  owner = await browser.newContext(PHONE);
  page = await owner.newPage();
});

afterAll(async () => {
  await browser?.close();
  await stack?.dispose();
});

/** The checks every console page passes: no serious axe violation, no horizontal scroll at 390 px, nothing fetched elsewhere. */
async function checkPage(p: Page): Promise<void> {
  expect(await seriousAxeViolations(p)).toEqual([]);
  expect(await p.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
}

function watchRequests(p: Page): string[] {
  const external: string[] = [];
  p.on("request", (req) => {
    if (!req.url().startsWith(stack.originUrl) && !req.url().startsWith("data:")) external.push(req.url());
  });
  return external;
}

describe("issuer console", () => {
  let credentialUrl = "";
  const email = `grace-${crypto.randomUUID().slice(0, 6)}@example.edu`;

  it("the launcher names the console and its demo owner; a wrong password is refused next to the form", async () => {
    const demo = stack.ready.demo as { console?: { url: string; email: string; password?: string } };
    expect(demo.console).toEqual({ url: `${stack.originUrl}/console`, email: "owner@demo.laurel.test" }); // no password in the log
    const external = watchRequests(page);
    await page.goto(demo.console!.url);
    expect(new URL(page.url()).pathname).toBe("/console/sign-in");
    await checkPage(page);
    await page.getByLabel("Email").fill(demo.console!.email);
    await page.getByLabel("Password").fill("not the password at all");
    await page.getByLabel("Password").press("Enter");
    await expect.poll(() => page.locator("p.alert").textContent()).toBe("The email or password is wrong.");
    await checkPage(page);
    expect(external).toEqual([]);
  });

  it("the owner signs in with the keyboard and issues one credential", async () => {
    await page.getByLabel("Email").fill("owner@demo.laurel.test");
    await page.getByLabel("Password").fill(demoOwnerPassword(stack.dataDir));
    await page.getByLabel("Password").press("Enter");
    await page.waitForURL(`${stack.originUrl}/console`);
    await checkPage(page);
    await page.getByRole("link", { name: "Issue", exact: true }).click();
    await page.waitForURL(/\/console\/issue$/);
    await checkPage(page);
    await page.getByLabel("Recipient name").fill("Grace Hopper");
    await page.getByLabel("Recipient email").fill(email);
    // The focused control shows a visible focus ring.
    expect(await page.getByLabel("Recipient email").evaluate((el) => getComputedStyle(el).outlineStyle)).not.toBe("none");
    await page.getByLabel("Recipient email").press("Enter");
    await page.waitForURL(/\/console\/credentials\/[0-9a-f-]{36}\?done=issued$/);
    expect(await page.getByRole("status").textContent()).toContain("The credential is issued.");
    await checkPage(page);
  });

  it("uploads a 100-row CSV with one bad row, previews it, and follows the progress bar to the end", async () => {
    const rows = Array.from({ length: 100 }, (_, i) => (i === 41 ? "Nobody,not-an-email" : `Student ${i + 1},student-${i + 1}-${email}`));
    const csv = ["name,email", ...rows].join("\n") + "\n";
    await page.goto(`${stack.originUrl}/console/issue/batch`);
    await checkPage(page);
    await page.getByLabel("CSV file").setInputFiles({ name: "graduates.csv", mimeType: "text/csv", buffer: Buffer.from(csv) });
    await page.getByRole("button", { name: "Check the rows" }).click();
    await page.waitForURL(/\/console\/issue\/batch\/preview$/);
    expect(await page.getByRole("status").textContent()).toContain("99 of 100 rows are ready");
    expect(await page.locator("tr", { hasText: "not-an-email" }).locator(".status-revoked").count()).toBe(1);
    await checkPage(page);
    await page.getByRole("button", { name: "Issue 99 credentials" }).click();
    await page.waitForURL(/\/console\/batches\/[0-9a-f-]{36}$/);
    await checkPage(page);
    // The script updates the bar until the batch ends, then the page shows the failed rows' download.
    const download = page.getByRole("link", { name: /Download the 1 failed rows/ });
    await download.waitFor({ timeout: 90_000 });
    expect(await page.locator("progress").evaluate((el) => [(el as HTMLProgressElement).value, (el as HTMLProgressElement).max])).toEqual([100, 100]);
    expect(await page.getByRole("status").textContent()).toContain("Issued 99, failed 1");
    const failed = await (await fetch(new URL((await download.getAttribute("href"))!, stack.originUrl), { headers: { cookie: (await owner.cookies()).map((c) => `${c.name}=${c.value}`).join("; ") } })).text();
    expect(failed).toContain('"42","Nobody","not-an-email"');
  });

  it("finds the credential by email and revokes it with a reason; the public page shows it revoked", async () => {
    await page.getByRole("link", { name: "Credentials", exact: true }).click();
    await checkPage(page);
    await page.getByLabel("Recipient email or name").fill(email.toUpperCase());
    await page.getByLabel("Recipient email or name").press("Enter");
    await page.getByRole("link", { name: "Grace Hopper" }).click();
    credentialUrl = page.url();
    await page.getByRole("link", { name: "Revoke this credential…" }).click();
    await checkPage(page);
    await page.getByLabel("Reason (shown on the public page)").fill("Issued to the wrong person");
    await page.getByRole("button", { name: "Revoke the credential" }).click();
    await page.waitForURL(/\?done=revoked$/);
    expect(await page.locator(".status-revoked").first().textContent()).toBe("Revoked");
    await checkPage(page);
    const publicUrl = await page.getByRole("link", { name: "Public verification page" }).getAttribute("href");
    // Each look is a new visitor (browser.newPage() opens a new context): the page is cacheable for
    // 60 s, so one visitor who saw it before the revocation reached the edge would keep seeing that.
    let visitor: Page | undefined;
    await expect
      .poll(async () => {
        await visitor?.close();
        visitor = await browser.newPage();
        await visitor.goto(publicUrl!);
        return visitor.locator(".banner").getAttribute("data-status");
      }, { timeout: 60_000, interval: 500 }) // generous: the suite runs other files beside this stack
      .toBe("revoked");
    expect(await visitor!.locator(".banner__text").textContent()).toContain("Issued to the wrong person");
    await visitor!.close();
  });

  it("the owner invites a viewer, who signs in through the link and cannot issue or revoke", async () => {
    await page.goto(`${stack.originUrl}/console/settings/members`);
    await checkPage(page);
    await page.getByLabel("Name").fill("Vera Viewer");
    await page.getByLabel("Email").fill("vera@example.edu");
    await page.getByLabel("Role", { exact: true }).selectOption("viewer");
    await page.getByRole("button", { name: "Invite" }).click();
    expect(await page.locator("p.notice").textContent()).toContain("Invitation emailed to vera@example.edu");
    await checkPage(page);
    // `npm start` sends mail to the local outbox: the invitation carries the one-time link.
    const inviteText = async () => {
      const all = (await (await fetch(`${stack.mailOutboxUrl}/messages.json`)).json()) as { to: string; text: string }[];
      return all.find((m) => m.to.includes("vera@example.edu"))?.text ?? "";
    };
    await expect.poll(inviteText, { timeout: 20_000, interval: 500 }).toMatch(/\/console\/setup\?token=/);
    const link = (await inviteText()).match(/https?:\/\/\S+\/console\/setup\?token=[\w-]+/)![0];
    const viewer = await browser.newContext(PHONE);
    const vp = await viewer.newPage();
    await vp.goto(link!);
    await checkPage(vp);
    await vp.getByLabel("New password").fill("viewer password 123");
    await vp.getByLabel("Repeat the password").fill("viewer password 123");
    await vp.getByLabel("Repeat the password").press("Enter");
    await vp.waitForURL(`${stack.originUrl}/console`);
    expect(await vp.getByRole("link", { name: "Issue", exact: true }).count()).toBe(0);
    await vp.goto(credentialUrl);
    expect(await vp.getByRole("link", { name: /Revoke/ }).count()).toBe(0);
    const forbidden = await vp.goto(`${stack.originUrl}/console/issue`);
    expect(forbidden?.status()).toBe(403);
    await checkPage(vp);
    await viewer.close();
  });

  it("locks an account after five wrong passwords, with a clear message", async () => {
    const context = await browser.newContext(PHONE);
    const p = await context.newPage();
    await p.goto(`${stack.originUrl}/console/sign-in`);
    for (let i = 0; i < 5; i++) {
      await p.getByLabel("Email").fill("vera@example.edu");
      await p.getByLabel("Password").fill(`wrong guess number ${i}`);
      await p.getByLabel("Password").press("Enter");
      await p.waitForLoadState();
    }
    expect(await p.locator("p.alert").textContent()).toMatch(/Too many failed sign-ins\. Sign-in is locked for \d+ more minute/);
    await checkPage(p);
    await context.close();
  });

  it("the owner creates an API key (shown once) and revokes it", async () => {
    await page.goto(`${stack.originUrl}/console/settings/api-keys`);
    await checkPage(page);
    await page.getByLabel("Name").fill("Registrar script");
    await page.getByLabel(/^read:/).check();
    await page.getByRole("button", { name: "Create key" }).click();
    const secret = (await page.locator("code.secret").textContent())!;
    await checkPage(page);
    const read = (token: string) => fetch(`${stack.originUrl}/v1/credentials`, { headers: { authorization: `Bearer ${token}` } });
    expect((await read(secret)).status).toBe(200);
    await page.getByRole("button", { name: "Revoke Registrar script" }).click();
    await expect.poll(async () => (await read(secret)).status, { timeout: 20_000, interval: 500 }).toBe(401);
  });

  it("the overview charts the last 30 days and lists failures; webhook and LMS pages work from the keyboard", async () => {
    await page.goto(`${stack.originUrl}/console`);
    expect(await page.getByRole("img", { name: /Issued and verified per day/ }).count()).toBe(1);
    await page.getByText("The figures per day, as a table").click();
    expect(await page.locator("details table tbody tr").count()).toBe(30);
    await checkPage(page);
    await page.getByRole("link", { name: "Webhooks", exact: true }).click();
    await checkPage(page);
    await page.getByLabel("Receiver URL").fill("https://hooks.example.edu/laurel");
    await page.getByLabel(/^credential\.issued:/).check();
    await page.getByRole("button", { name: "Add endpoint" }).click();
    expect(await page.locator("code.secret").textContent()).toMatch(/^whsec_/);
    await checkPage(page);
    await page.getByRole("link", { name: "https://hooks.example.edu/laurel" }).click();
    await checkPage(page);
    await page.getByRole("link", { name: "LMS", exact: true }).click();
    await checkPage(page);
    await page.getByLabel("Name").fill("CS101");
    await page.getByLabel("LMS address").fill("https://canvas.example.edu");
    await page.getByLabel("API token").fill("a token");
    await page.getByLabel("Course id").fill("101");
    await page.getByRole("button", { name: "Connect" }).click();
    await page.waitForURL(/\/console\/integrations\/[0-9a-f-]{36}\?done=created$/);
    expect(await page.getByRole("status").textContent()).toContain("The course is connected.");
    await checkPage(page);
  });

  it("the owner adds a passkey and signs in with it (Chromium's virtual authenticator)", async () => {
    const local = stack.originUrl.replace("127.0.0.1", "localhost"); // WebAuthn takes no IP address as RP ID
    const context = await browser.newContext(PHONE);
    const p = await context.newPage();
    const cdp = await context.newCDPSession(p);
    await cdp.send("WebAuthn.enable");
    await cdp.send("WebAuthn.addVirtualAuthenticator", {
      options: { protocol: "ctap2", transport: "internal", hasResidentKey: true, hasUserVerification: true, isUserVerified: true },
    });
    await p.goto(`${local}/console/sign-in`);
    await p.getByLabel("Email").fill("owner@demo.laurel.test");
    await p.getByLabel("Password").fill(demoOwnerPassword(stack.dataDir));
    await p.getByLabel("Password").press("Enter");
    await p.waitForURL(`${local}/console`);
    await p.getByRole("link", { name: "Passkeys", exact: true }).click();
    await p.getByLabel("Passkey name").fill("Virtual key");
    await checkPage(p);
    await p.getByRole("button", { name: "Add a passkey" }).click();
    await p.waitForURL(/\/console\/settings\/passkeys\?done=added$/);
    expect(await p.getByRole("cell", { name: "Virtual key", exact: true }).count()).toBe(1);
    await checkPage(p);
    await p.getByRole("button", { name: "Sign out" }).click();
    await p.waitForURL(/\/console\/sign-in$/);
    await p.getByRole("link", { name: "Sign in with a passkey" }).click();
    await checkPage(p);
    await p.getByRole("button", { name: "Sign in with a passkey" }).click();
    await p.waitForURL(`${local}/console`);
    expect(await p.locator(".who").textContent()).toContain("owner@demo.laurel.test");
    await context.close();
  });

  it("the owner creates an achievement with a live badge preview; the signing keys page lists the key; the issuer profile takes a URL", async () => {
    await page.goto(`${stack.originUrl}/console/achievements/new`);
    await checkPage(page);
    const preview = page.locator("img[data-preview-image]");
    await page.getByLabel("Name").fill("Field Safety");
    await expect.poll(() => preview.getAttribute("src"), { timeout: 10_000, interval: 200 }).toContain("name=Field%20Safety");
    await expect.poll(() => preview.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth), { timeout: 20_000, interval: 250 }).toBe(400);
    await page.getByLabel("Description").fill("Completed the field safety course.");
    await page.getByLabel("Criteria (how it is earned)").fill("Pass the practical test.");
    await page.getByRole("button", { name: "Create achievement" }).click();
    expect(await page.locator("p.notice").textContent()).toContain("The achievement is saved");
    await checkPage(page);
    await page.goto(`${stack.originUrl}/console/settings/keys`);
    expect(await page.locator("td", { hasText: "active: signs new credentials" }).count()).toBe(1);
    await checkPage(page);
    await page.goto(`${stack.originUrl}/console/settings/profile`);
    await checkPage(page);
    await page.getByLabel("Issuer URL (optional)").fill("https://www.demo.example");
    await page.getByRole("button", { name: "Save name and URL" }).click();
    expect(await page.locator("p.notice").textContent()).toContain("Saved.");
    expect(await page.getByLabel("Issuer URL (optional)").inputValue()).toBe("https://www.demo.example");
  });

  it("the audit log shows who did what", async () => {
    await page.goto(`${stack.originUrl}/console/settings/audit`);
    const text = await page.locator("table").textContent();
    for (const action of ["credential.issue", "credential.revoke", "member.invite", "session.sign-in", "batch.create", "api-key.revoke", "issuer-profile.update"]) expect(text).toContain(action);
    await checkPage(page);
  });

  it("a console member the deployment makes operator opens /ops: charts and tables show the traffic just sent, from the keyboard", async () => {
    const admin = { authorization: `Bearer ${stack.adminToken}` };
    const granted = await fetch(`${stack.originUrl}/v1/operators`, { method: "POST", headers: { ...admin, "content-type": "application/json" }, body: JSON.stringify({ email: "owner@demo.laurel.test" }) });
    expect(granted.status).toBe(200);
    // Traffic only this test sends: its own route group on the origin.
    let requestId = "";
    for (let i = 0; i < 5; i++) {
      const res = await fetch(`${stack.originUrl}/v1/operators`, { headers: admin });
      expect(res.status).toBe(200);
      requestId = res.headers.get("x-request-id")!;
    }
    const external = watchRequests(page);
    await page.goto(`${stack.originUrl}/ops/sign-in`);
    await checkPage(page);
    // Figures reach the stack's aggregator and spans the trace store shortly after: wait where it is cheap.
    const operatorsCount = async () => {
      const summary = (await (await fetch(`${stack.originUrl}/ops/api/summary`, { headers: admin })).json()) as { services: { service: string; groups: { group: string; requests: number }[] }[] };
      return summary.services.find((s) => s.service === "origin")?.groups.find((g) => g.group === "/v1/operators")?.requests ?? 0;
    };
    await expect.poll(operatorsCount, { timeout: 20_000, interval: 500 }).toBeGreaterThanOrEqual(5);
    const traceUrl = `${stack.originUrl}/ops/traces?requestId=${encodeURIComponent(requestId)}`;
    await expect.poll(async () => (await (await fetch(traceUrl, { headers: admin })).text()).includes(" spans over "), { timeout: 20_000, interval: 500 }).toBe(true);

    // The signed-in owner, now an operator, follows the console's link with the keyboard.
    await page.goto(`${stack.originUrl}/console`);
    await page.getByRole("link", { name: "Operations", exact: true }).focus();
    await page.keyboard.press("Enter");
    await page.waitForURL(`${stack.originUrl}/ops`);
    const operatorsRow = page.locator("tr", { has: page.locator("th code", { hasText: /^\/v1\/operators$/ }) });
    expect(Number(await operatorsRow.locator("td").first().textContent())).toBeGreaterThanOrEqual(5);
    const chart = page.getByRole("img", { name: /^origin requests per minute/ });
    expect(Number((await chart.locator("desc").textContent())!.match(/^(\d+) requests/)![1])).toBeGreaterThanOrEqual(5);
    expect(await page.getByRole("heading", { name: "Alerts firing" }).count()).toBe(1);
    expect(await page.getByRole("table", { name: /^Work still owed/ }).count()).toBe(1);
    await checkPage(page);

    // The trace lookup form, from the keyboard alone, shows one of those requests as a waterfall.
    for (let i = 0; i < 40 && !(await page.getByLabel("Request id").evaluate((el) => el === document.activeElement)); i++) await page.keyboard.press("Tab");
    await page.keyboard.type(requestId);
    await page.keyboard.press("Enter");
    await page.waitForURL(traceUrl);
    expect(await page.getByRole("table", { name: / spans over / }).count()).toBe(1);
    await checkPage(page);
    expect(external).toEqual([]);
  });
});
