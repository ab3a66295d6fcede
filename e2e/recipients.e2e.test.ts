// Recipient emails and the wallet through the real local stack (`npm start`'s launcher): issuing
// writes .eml files to <data dir>/mail/ through the local mail outbox, a batch of 100 writes 100,
// a redelivery of the batch's notification jobs writes none more, and the wallet link from an email
// signs the recipient in, in Chromium, to a list with both orgs' credentials (axe: no serious issues).
import { createClient } from "@libsql/client";
import fs from "node:fs";
import path from "node:path";
import { simpleParser } from "mailparser";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchBrowser, PHONE, seriousAxeViolations } from "./support/browser.ts";
import { createAchievement, createOrg, issueCredential } from "./support/issuer-api.ts";
import { startStack, type RunningStack } from "./support/stack.ts";

let stack: RunningStack;
let browser: Browser;

beforeAll(async () => {
  stack = await startStack();
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await stack?.dispose();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Mail {
  file: string;
  to: string;
  subject: string;
  text: string;
}

/** Every .eml in <data dir>/mail/, parsed. */
async function mailbox(): Promise<Mail[]> {
  const dir = path.join(stack.dataDir, "mail");
  if (!fs.existsSync(dir)) return [];
  const files = fs.readdirSync(dir).filter((f) => f.endsWith(".eml"));
  return Promise.all(
    files.map(async (file) => {
      const parsed = await simpleParser(fs.readFileSync(path.join(dir, file)));
      const to = Array.isArray(parsed.to) ? parsed.to.map((a) => a.text).join(", ") : (parsed.to?.text ?? "");
      return { file, to: to.toLowerCase(), subject: parsed.subject ?? "", text: parsed.text ?? "" };
    }),
  );
}

/** Polls (generous deadline) until `count(mails)` reaches `want`; returns the matching mails. */
async function waitForMail(match: (m: Mail) => boolean, want: number, deadlineMs = 90_000): Promise<Mail[]> {
  const until = Date.now() + deadlineMs;
  for (;;) {
    const found = (await mailbox()).filter(match);
    if (found.length >= want || Date.now() > until) return found;
    await sleep(500);
  }
}

async function post(pathName: string, token: string, body: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(`${stack.originUrl}${pathName}`, {
    method: "POST",
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json", ...headers },
    body: JSON.stringify(body),
  });
  if (res.status >= 300) throw new Error(`POST ${pathName}: ${res.status} ${await res.text()}`);
  return res.json() as Promise<Record<string, any>>;
}

function database() {
  const secrets = JSON.parse(fs.readFileSync(path.join(stack.dataDir, "secrets.json"), "utf8")) as { libsqlAuthToken: string };
  return createClient({ url: stack.libsqlUrl, authToken: secrets.libsqlAuthToken });
}

describe("recipient notifications through the local stack", () => {
  it("one credential → one .eml with its verify link; a batch of 100 → 100; redelivered notification jobs → none more", async () => {
    const tag = crypto.randomUUID().slice(0, 8);
    const org = await createOrg(stack, "Outbox University", `outbox-${tag}`);
    const achievement = await createAchievement(stack, org.apiKey, { name: "Mail Delivery 101", description: "d", criteria: { narrative: "c" } });
    const single = await issueCredential(stack, org.apiKey, { achievementId: achievement.id, recipient: { name: "Solo", email: `solo-${tag}@example.edu` } });
    const [mail, ...extra] = await waitForMail((m) => m.to.includes(`solo-${tag}@`), 1);
    expect(extra).toHaveLength(0);
    expect(mail!.text).toContain(single.verifyUrl);

    const recipients = Array.from({ length: 100 }, (_, i) => ({ name: `Batch ${i}`, email: `batch-${i}-${tag}@example.edu` }));
    const batch = await post("/v1/credentials/batch", org.apiKey, { achievementId: achievement.id, recipients }, { "idempotency-key": crypto.randomUUID() });
    const inBatch = (m: Mail) => m.to.includes(`-${tag}@`) && m.to.startsWith("batch-") ;
    const batchMail = await waitForMail(inBatch, 100);
    expect(batchMail).toHaveLength(100);
    expect(new Set(batchMail.map((m) => m.to)).size).toBe(100);

    // Redelivery: the batch's notifications as if their jobs had died right after sending (rows
    // back to `sending` with an expired lease); the scheduled sweep enqueues all 100 again, each is
    // claimed and sent again with the same idempotency key, and the outbox writes nothing new.
    const db = database();
    const reset = await db.execute({
      sql: `UPDATE notifications SET status = 'sending', lease_until = 0
            WHERE credential_id IN (SELECT id FROM credentials WHERE batch_id = ?)`,
      args: [batch.id],
    });
    expect(reset.rowsAffected).toBe(100);
    const cron = await fetch(`${stack.originUrl}/__scheduled?cron=${encodeURIComponent("* * * * *")}`);
    expect(cron.status).toBe(200);
    const until = Date.now() + 90_000;
    let left = 100;
    while (left > 0 && Date.now() < until) {
      await sleep(500);
      const rows = await db.execute({
        sql: `SELECT count(*) AS n FROM notifications WHERE status <> 'sent' AND credential_id IN (SELECT id FROM credentials WHERE batch_id = ?)`,
        args: [batch.id],
      });
      left = Number(rows.rows[0]!.n);
    }
    expect(left).toBe(0); // all 100 were sent again...
    expect((await mailbox()).filter(inBatch)).toHaveLength(100); // ...and not one more file
    db.close();
  });

  it("the wallet link from an email lists the credentials of two orgs (Chromium, phone; axe clean)", async () => {
    const tag = crypto.randomUUID().slice(0, 8);
    const email = `wallet-${tag}@example.edu`;
    const first = await createOrg(stack, "Northern Polytechnic", `north-${tag}`);
    const second = await createOrg(stack, "Southern Guild", `south-${tag}`);
    const a1 = await createAchievement(stack, first.apiKey, { name: "Welding Safety", description: "d", criteria: { narrative: "c" } });
    const a2 = await createAchievement(stack, second.apiKey, { name: "Guild Membership", description: "d", criteria: { narrative: "c" } });
    await issueCredential(stack, first.apiKey, { achievementId: a1.id, recipient: { name: "Wanda Wallet", email } });
    await issueCredential(stack, second.apiKey, { achievementId: a2.id, recipient: { name: "Wanda Wallet", email } });
    const mails = await waitForMail((m) => m.to.includes(email), 2);
    expect(mails).toHaveLength(2);
    const link = /http:\/\/127\.0\.0\.1:\d+\/wallet\/sign-in\?token=[\w-]+/.exec(mails[0]!.text)![0];
    expect(link.startsWith(stack.originUrl)).toBe(true);

    const context = await browser.newContext(PHONE);
    const page = await context.newPage();
    await page.goto(`${stack.originUrl}/wallet`);
    expect(await seriousAxeViolations(page)).toEqual([]);
    await page.goto(link);
    expect(await seriousAxeViolations(page)).toEqual([]);
    await page.getByRole("button", { name: "Open my wallet" }).click();
    await page.waitForURL(`${stack.originUrl}/wallet/credentials`);
    const body = await page.textContent("main");
    expect(body).toContain("Welding Safety");
    expect(body).toContain("Northern Polytechnic");
    expect(body).toContain("Guild Membership");
    expect(body).toContain("Southern Guild");
    expect(await seriousAxeViolations(page)).toEqual([]);
    await context.close();
  });
});
