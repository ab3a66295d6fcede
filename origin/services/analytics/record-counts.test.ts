// EdgeApi.recordCounts against the real database: a flush is applied once however often it is
// retried, counts land per credential and day with the credential's org and achievement, and what
// is not one of our credentials (or not well formed) is dropped.
import { describe, expect, it } from "vitest";
import { MAX_SCAN_IDS_PER_CALL, type CountFlush } from "../../../shared/origin-rpc.ts";
import { database } from "../../db/client.ts";
import { EdgeApi } from "../../rpc/edge-api.ts";
import { countRows, credentialBody, issue, makeAchievement, makeOrg, testEnv } from "../../test/api.ts";
import { FLUSH_ID_RETENTION_MS, purgeAppliedFlushes } from "./record-counts.ts";
import { testContext } from "../../test/execution-context.ts";

const api = () => new EdgeApi(testContext(), testEnv);

async function oneCredential(): Promise<{ id: string; orgId: string; achievementId: string }> {
  const org = await makeOrg("flush");
  const achievement = await makeAchievement(org);
  const res = await issue(org, credentialBody(achievement.id));
  return { id: ((await res.json()) as { id: string }).id, orgId: org.id, achievementId: achievement.id };
}

async function row(id: string, day: string) {
  const result = await database(testEnv).$client.execute({ sql: "SELECT * FROM credential_daily_counts WHERE credential_id = ? AND day = ?", args: [id, day] });
  return result.rows[0];
}

describe("recordCounts", () => {
  it("applies a flush once: the retried flush id adds nothing, a new id adds again", async () => {
    const credential = await oneCredential();
    const flush: CountFlush = { flushId: `shard-test:${crypto.randomUUID()}:0`, rows: [{ credentialId: credential.id, day: "2026-11-29", counts: { views: 3, bot_views: 2, verifications: 1 } }] };
    expect(await api().recordCounts(flush)).toEqual({ applied: true });
    expect(await api().recordCounts(flush)).toEqual({ applied: false });
    // Concurrent retries of one flush (a timed-out call racing its retry): still applied once.
    const raced = { ...flush, flushId: `${flush.flushId}-raced` };
    const answers = await Promise.all([api().recordCounts(raced), api().recordCounts(raced), api().recordCounts(raced)]);
    expect(answers.filter((a) => a.applied)).toHaveLength(1);
    expect(await row(credential.id, "2026-11-29")).toMatchObject({
      org_id: credential.orgId,
      achievement_id: credential.achievementId,
      views: 6,
      bot_views: 4,
      verifications: 2,
      shares: 0,
    });
    expect(await countRows("applied_count_flushes", "flush_id IN (?, ?)", [flush.flushId, raced.flushId])).toBe(2);
  });

  it("drops ids that are not our credentials and malformed rows, keeps the rest", async () => {
    const credential = await oneCredential();
    const stranger = crypto.randomUUID();
    await api().recordCounts({
      flushId: `shard-test:${crypto.randomUUID()}:0`,
      rows: [
        { credentialId: credential.id, day: "2026-11-28", counts: { shares: 1 } },
        { credentialId: stranger, day: "2026-11-28", counts: { views: 5 } },
        { credentialId: credential.id, day: "2026-02-30", counts: { views: 5 } },
        { credentialId: credential.id, day: "2026-11-27", counts: { views: -5 } },
        { credentialId: "../etc", day: "2026-11-28", counts: { views: 5 } },
      ],
    });
    expect(await row(credential.id, "2026-11-28")).toMatchObject({ shares: 1, views: 0 });
    expect(await countRows("credential_daily_counts", "credential_id = ?", [stranger])).toBe(0);
    expect(await countRows("credential_daily_counts", "credential_id = ?", [credential.id])).toBe(1);
  });

  it("refuses a call the edge never makes: no flush id, or more rows than one call takes", async () => {
    const rows = Array.from({ length: MAX_SCAN_IDS_PER_CALL + 1 }, () => ({ credentialId: crypto.randomUUID(), day: "2026-11-29", counts: { views: 1 } }));
    await expect(api().recordCounts({ flushId: "x:1", rows })).rejects.toThrow();
    await expect(api().recordCounts({ flushId: "", rows: [] })).rejects.toThrow();
    expect(await countRows("applied_count_flushes", "flush_id = ?", ["x:1"])).toBe(0);
  });

  it("purges applied flush ids after the retention period only", async () => {
    const old = `shard-test:${crypto.randomUUID()}:old`;
    const recent = `shard-test:${crypto.randomUUID()}:recent`;
    const now = Date.now();
    await database(testEnv).$client.batch([
      { sql: "INSERT INTO applied_count_flushes (flush_id, applied_at) VALUES (?, ?)", args: [old, now - FLUSH_ID_RETENTION_MS - 1000] },
      { sql: "INSERT INTO applied_count_flushes (flush_id, applied_at) VALUES (?, ?)", args: [recent, now - 1000] },
    ]);
    expect(await purgeAppliedFlushes(database(testEnv), now)).toBeGreaterThanOrEqual(1);
    expect(await countRows("applied_count_flushes", "flush_id = ?", [old])).toBe(0);
    expect(await countRows("applied_count_flushes", "flush_id = ?", [recent])).toBe(1);
  });
});
