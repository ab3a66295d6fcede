// GET /v1/analytics/summary and GET /v1/analytics/credentials/:id: issued/revoked from the
// credentials, the edge's counts (applied through EdgeApi.recordCounts, as the edge flushes them),
// per UTC day with totals; validation of the range, tenant isolation, scope read.
import { describe, expect, it } from "vitest";
import type { CountRow } from "../../shared/origin-rpc.ts";
import { EdgeApi } from "../rpc/edge-api.ts";
import { addDays, utcDayOf } from "../services/analytics/days.ts";
import { call, credentialBody, issue, makeAchievement, makeOrg, problem, testEnv, type TestOrg } from "../test/api.ts";
import { testContext } from "../test/execution-context.ts";

const today = () => utcDayOf(Date.now());

async function issued(org: TestOrg, achievementId: string): Promise<string> {
  const res = await issue(org, credentialBody(achievementId));
  if (res.status !== 201) throw new Error(`issue failed: ${res.status}`);
  return ((await res.json()) as { id: string }).id;
}

function flush(rows: CountRow[]) {
  return new EdgeApi(testContext(), testEnv).recordCounts({ flushId: `test:${crypto.randomUUID()}`, rows });
}

type Figures = Record<string, number> & { bots: Record<string, number> };
type Summary = { from: string; to: string; achievementId: string | null; days: (Figures & { date: string })[]; totals: Figures };

async function get<T>(org: TestOrg, path: string): Promise<T> {
  const res = await call(path, { token: org.apiKey });
  if (res.status !== 200) throw new Error(`${path}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

const ZERO_EVENTS = { views: 0, verifications: 0, shares: 0, images: 0, embeds: 0 };

describe("GET /v1/analytics/summary", () => {
  it("counts issued, revoked and the edge's events per day for the org, an achievement, never another org", async () => {
    const org = await makeOrg("stats");
    const other = await makeOrg("stats-other");
    const [x, y] = [await makeAchievement(org), await makeAchievement(org)];
    const [x1, x2, y1] = [await issued(org, x.id), await issued(org, x.id), await issued(org, y.id)];
    const foreign = await issued(other, (await makeAchievement(other)).id);
    expect((await call(`/v1/credentials/${x2}/revoke`, { method: "POST", token: org.apiKey, json: { reason: "test" } })).status).toBe(200);
    const day = today();
    const yesterday = addDays(day, -1);
    await flush([
      { credentialId: x1, day, counts: { views: 5, verifications: 2, shares: 1, images: 3, embeds: 1, bot_views: 4 } },
      { credentialId: y1, day, counts: { views: 7 } },
      { credentialId: x1, day: yesterday, counts: { views: 1 } },
      { credentialId: foreign, day, counts: { views: 100, verifications: 100 } },
      { credentialId: crypto.randomUUID(), day, counts: { views: 1000 } }, // not a credential: dropped
    ]);

    const summary = await get<Summary>(org, "/v1/analytics/summary");
    expect(summary.to).toBe(day);
    expect(summary.from).toBe(addDays(day, -29));
    expect(summary.achievementId).toBeNull();
    expect(summary.days).toHaveLength(30);
    expect(summary.days.map((d) => d.date)).toEqual(Array.from({ length: 30 }, (_, i) => addDays(day, i - 29)));
    expect(summary.days.at(-1)).toEqual({
      date: day, issued: 3, revoked: 1, views: 12, verifications: 2, shares: 1, images: 3, embeds: 1,
      bots: { ...ZERO_EVENTS, views: 4 },
    });
    expect(summary.days.at(-2)).toMatchObject({ date: yesterday, issued: 0, revoked: 0, views: 1 });
    expect(summary.totals).toEqual({ issued: 3, revoked: 1, views: 13, verifications: 2, shares: 1, images: 3, embeds: 1, bots: { ...ZERO_EVENTS, views: 4 } });

    const ofX = await get<Summary>(org, `/v1/analytics/summary?achievementId=${x.id}&from=${day}&to=${day}`);
    expect(ofX.days).toHaveLength(1);
    expect(ofX.achievementId).toBe(x.id);
    expect(ofX.totals).toMatchObject({ issued: 2, revoked: 1, views: 5, verifications: 2 });

    const theirs = await get<Summary>(other, `/v1/analytics/summary?from=${day}&to=${day}`);
    expect(theirs.totals).toMatchObject({ issued: 1, revoked: 0, views: 100, verifications: 100 });

    // Another org's achievement is unknown here.
    const foreignAchievement = await call(`/v1/analytics/summary?achievementId=${x.id}`, { token: other.apiKey });
    expect(foreignAchievement.status).toBe(404);
    expect((await problem(foreignAchievement)).code).toBe("ACHIEVEMENT_NOT_FOUND");
  });

  it("validates from and to: calendar days, not reversed, at most 366 days; names the field", async () => {
    const org = await makeOrg("stats-range");
    const cases: [string, string, string][] = [
      ["from=2026-02-30", "from", "custom"],
      ["to=yesterday", "to", "custom"],
      ["from=2026-11-29T00:00:00Z", "from", "custom"],
      ["from=2026-11-10&to=2026-11-09", "from", "not_after_to"],
      ["from=2025-01-01&to=2026-01-02", "to", "max_range"],
    ];
    for (const [query, field, rule] of cases) {
      const res = await call(`/v1/analytics/summary?${query}`, { token: org.apiKey });
      expect(res.status, query).toBe(400);
      const body = await problem(res);
      expect(body.code).toBe("VALIDATION_FAILED");
      expect(body.errors?.[0]).toMatchObject({ field, rule });
      expect(body.detail).toContain(field);
    }
    // 366 days, both ends included, is the longest range; `from` alone runs 30 days.
    expect((await get<Summary>(org, "/v1/analytics/summary?from=2024-01-01&to=2024-12-31")).days).toHaveLength(366);
    const fromOnly = await get<Summary>(org, "/v1/analytics/summary?from=2026-01-01");
    expect([fromOnly.from, fromOnly.to, fromOnly.days.length]).toEqual(["2026-01-01", "2026-01-30", 30]);
  });

  it("needs the read scope", async () => {
    const org = await makeOrg("stats-scope");
    const made = await call("/v1/api-keys", { method: "POST", token: org.apiKey, json: { name: "issuer only", scopes: ["issue"] } });
    const { apiKey } = (await made.json()) as { apiKey: string };
    const res = await call("/v1/analytics/summary", { token: apiKey });
    expect(res.status).toBe(403);
    expect((await problem(res)).code).toBe("INSUFFICIENT_SCOPE");
    expect((await call("/v1/analytics/summary")).status).toBe(401);
  });
});

describe("GET /v1/analytics/credentials/:id", () => {
  it("answers one credential's days and totals; another org's or an unknown id → 404", async () => {
    const org = await makeOrg("cstats");
    const other = await makeOrg("cstats-other");
    const achievement = await makeAchievement(org);
    const [mine, sibling] = [await issued(org, achievement.id), await issued(org, achievement.id)];
    const day = today();
    await flush([
      { credentialId: mine, day, counts: { views: 100, verifications: 20, shares: 1, bot_shares: 2 } },
      { credentialId: sibling, day, counts: { views: 9 } },
    ]);
    const res = await get<Summary & { credentialId: string; achievementId: string }>(org, `/v1/analytics/credentials/${mine.toUpperCase()}?from=${addDays(day, -6)}`);
    expect(res.credentialId).toBe(mine);
    expect(res.achievementId).toBe(achievement.id);
    expect(res.days).toHaveLength(30);
    expect(res.days.find((d) => d.date === day)).toEqual({
      date: day, issued: 1, revoked: 0, views: 100, verifications: 20, shares: 1, images: 0, embeds: 0,
      bots: { ...ZERO_EVENTS, shares: 2 },
    });
    expect(res.totals).toMatchObject({ issued: 1, views: 100, verifications: 20, shares: 1 });

    for (const [who, id] of [[other, mine], [org, crypto.randomUUID()], [org, "not-an-id"]] as const) {
      const missing = await call(`/v1/analytics/credentials/${id}`, { token: who.apiKey });
      expect(missing.status).toBe(404);
      expect((await problem(missing)).code).toBe("NOT_FOUND");
    }
    const bad = await call(`/v1/analytics/credentials/${mine}?to=2026-13-01`, { token: org.apiKey });
    expect(bad.status).toBe(400);
    expect((await problem(bad)).errors?.[0]?.field).toBe("to");
  });
});
