// Analytics end to end on the real stack (`npm start`'s launcher): page views, verifications (GET
// and POST) and a LinkedIn click counted at the edge, flushed by the ScanCounter shards' alarms to
// the origin, read back through GET /v1/analytics/credentials/:id and /v1/analytics/summary.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAchievement, createOrg, issueCredential, type IssuedCredential } from "./support/issuer-api.ts";
import { startStack, type RunningStack } from "./support/stack.ts";

let stack: RunningStack;
let apiKey: string;
let credential: IssuedCredential;

beforeAll(async () => {
  stack = await startStack();
  const org = await createOrg(stack, "Analytics Academy", `analytics-${crypto.randomUUID().slice(0, 8)}`);
  apiKey = org.apiKey;
  const achievement = await createAchievement(stack, apiKey, { name: "Counting", description: "Counted things.", criteria: { narrative: "Count to 100." } });
  credential = await issueCredential(stack, apiKey, { achievementId: achievement.id, recipient: { name: "Ada Lovelace", email: "ada@example.com" } });
}, 180_000);

afterAll(async () => {
  await stack?.dispose();
});

interface Figures {
  issued: number;
  revoked: number;
  views: number;
  verifications: number;
  shares: number;
  images: number;
  embeds: number;
  bots: Record<string, number>;
}

async function analytics<T>(path: string): Promise<T> {
  const res = await fetch(`${stack.originUrl}${path}`, { headers: { authorization: `Bearer ${apiKey}` } });
  expect(res.status).toBe(200);
  return (await res.json()) as T;
}

async function expectStatus(res: Promise<Response>, status: number): Promise<void> {
  const answer = await res;
  await answer.arrayBuffer();
  expect(answer.status).toBe(status);
}

describe("analytics through the real stack", () => {
  it("100 page views, 20 verifications and a LinkedIn click show in the credential's analytics", async () => {
    const page = credential.verifyUrl;
    // Sequential, as visitors arrive: the counts must not depend on requests landing together.
    for (let i = 0; i < 100; i++) await expectStatus(fetch(page), 200);
    for (let i = 0; i < 10; i++) await expectStatus(fetch(`${stack.edgeUrl}/api/v1/verify/${credential.id}`), 200);
    for (let i = 0; i < 10; i++) {
      await expectStatus(fetch(`${stack.edgeUrl}/api/v1/verify`, { method: "POST", headers: { "content-type": "application/vc+jwt" }, body: credential.jwt }), 200);
    }
    const click = await fetch(`${page}/linkedin`, { redirect: "manual" });
    expect(click.status).toBe(302);
    expect(new URL(click.headers.get("location")!).origin).toBe("https://www.linkedin.com");
    // A crawler's view counts apart.
    await expectStatus(fetch(page, { headers: { "user-agent": "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)" } }), 200);
    const sent = Date.now();

    // The shards flush every 30 s: poll, with a deadline well past that.
    let figures: Figures | undefined;
    for (const until = Date.now() + 120_000; Date.now() < until; await new Promise((r) => setTimeout(r, 2_000))) {
      figures = (await analytics<{ totals: Figures }>(`/v1/analytics/credentials/${credential.id}`)).totals;
      if (figures.views >= 100 && figures.verifications >= 20 && figures.shares >= 1 && (figures.bots.views ?? 0) >= 1) break;
    }
    console.log(JSON.stringify({ analyticsArrivedAfterMs: Date.now() - sent }));
    expect(figures).toMatchObject({ issued: 1, revoked: 0, views: 100, verifications: 20, shares: 1, bots: { views: 1, verifications: 0, shares: 0 } });

    const summary = await analytics<{ totals: Figures; days: { date: string; views: number }[] }>("/v1/analytics/summary");
    expect(summary.totals).toMatchObject({ issued: 1, views: 100, verifications: 20, shares: 1 });
    expect(summary.days.at(-1)).toMatchObject({ date: new Date().toISOString().slice(0, 10), views: 100 });
  }, 240_000);
});
