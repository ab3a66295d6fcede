// GET /c/:id/linkedin: the counting redirect behind the page's "Add to LinkedIn profile" button.
import { afterEach, describe, expect, it } from "vitest";
import { linkedInUrlFor } from "../render/linkedin.ts";
import { scanShardName, scanShardOf } from "../services/scans.ts";
import { BASE, call, origin, seedWorld, sleep, testEnv } from "../test/fixtures.ts";

afterEach(async () => {
  await origin.testReset();
});

const shardOf = (id: string) => testEnv.SCAN_COUNTERS.get(testEnv.SCAN_COUNTERS.idFromName(scanShardName(scanShardOf(id))));

async function sharesOf(id: string, want: number): Promise<number | undefined> {
  const until = Date.now() + 10_000;
  let n = (await shardOf(id).pending())[id]?.shares;
  while (n !== want && Date.now() < until) {
    await sleep(50);
    n = (await shardOf(id).pending())[id]?.shares;
  }
  return n;
}

describe("GET /c/:id/linkedin", () => {
  it("redirects to LinkedIn's add-to-profile form built from the credential, uncached, and counts a share", async () => {
    const { creds } = await seedWorld();
    const { id, projection } = creds[0]!;
    const res = await call(`/c/${id}/linkedin`, { redirect: "manual" });
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toBe(linkedInUrlFor(projection, BASE));
    expect(new URL(res.headers.get("location")!).origin).toBe("https://www.linkedin.com");
    expect(res.headers.get("cache-control")).toBe("no-store");
    // A bot's click counts apart; a second person's click adds one.
    await call(`/c/${id}/linkedin`, { redirect: "manual", headers: { "user-agent": "Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)" } });
    await call(`/c/${id}/linkedin`, { redirect: "manual" });
    expect(await sharesOf(id, 2)).toBe(2);
    expect((await shardOf(id).pending())[id]?.bot_shares).toBe(1);
  }, 30_000);

  it("is not an open redirect: the query cannot change the target", async () => {
    const { creds } = await seedWorld();
    const { id, projection } = creds[0]!;
    const res = await call(`/c/${id}/linkedin?url=https://evil.example/&next=//evil.example&certUrl=https://evil.example`, { redirect: "manual" });
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toBe(linkedInUrlFor(projection, BASE));
    expect(res.headers.get("location")).not.toContain("evil");
  });

  it("sends a revoked credential's visitors back to its page without counting; unknown ids → 404", async () => {
    const { creds } = await seedWorld({ count: 2, revoked: { 1: "Awarded in error" } });
    const revoked = creds[1]!.id;
    const res = await call(`/c/${revoked}/linkedin`, { redirect: "manual" });
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toBe(`${BASE}/c/${revoked}`);
    const unknown = await call(`/c/${crypto.randomUUID()}/linkedin`, { redirect: "manual" });
    expect(unknown.status).toBe(404);
    expect((await call("/c/not-an-id/linkedin", { redirect: "manual" })).status).toBe(404);
    // The revoked credential's page view is counted (it was rendered), its share is not.
    await call(`/c/${revoked}`);
    const until = Date.now() + 10_000;
    while ((await shardOf(revoked).pending())[revoked]?.views !== 1 && Date.now() < until) await sleep(50);
    expect((await shardOf(revoked).pending())[revoked]).toEqual({ views: 1 });
  }, 30_000);
});
