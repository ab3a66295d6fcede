// Event counting: never on the answer's path, sharded over ScanCounter objects, flushed to the
// origin's recordCounts in batches, each chunk exactly once (flush ids).
import { createExecutionContext, runInDurableObject, waitOnExecutionContext } from "cloudflare:test";
import { afterEach, describe, expect, it } from "vitest";
import worker from "../index.ts";
import { edgeMetrics } from "../metrics.ts";
import { MAX_PENDING_IDS, SCAN_FLUSH_INTERVAL_MS, type ScanCounter } from "../objects/scan-counter.do.ts";
import { MAX_SCAN_IDS_PER_CALL } from "../../shared/origin-rpc.ts";
import { BASE, call, origin, seedWorld, sleep, testEnv } from "../test/fixtures.ts";
import type { CountRow } from "../../shared/origin-rpc.ts";
import { utcDayOf } from "../../shared/utc-day.ts";
import { SCAN_SHARDS, scanShardName, scanShardOf } from "./scans.ts";

afterEach(async () => {
  await origin.testReset();
});

function shardOf(id: string) {
  return testEnv.SCAN_COUNTERS.get(testEnv.SCAN_COUNTERS.idFromName(scanShardName(scanShardOf(id))));
}

/** A shard of its own (storage is shared between tests). */
function freshShard() {
  return testEnv.SCAN_COUNTERS.get(testEnv.SCAN_COUNTERS.idFromName(`test-${crypto.randomUUID()}`));
}

const today = () => utcDayOf(Date.now());

function manyRows(n: number): CountRow[] {
  return Array.from({ length: n }, () => ({ credentialId: crypto.randomUUID(), day: today(), counts: { views: 2 } }));
}

const views = (rows: CountRow[]) => Object.fromEntries(rows.map((r) => [r.credentialId, { views: r.counts.views }]));

/** Same columns with the same counts, in any order. */
function sameCounts(a: object | undefined, b: object): boolean {
  const sorted = (o: object) => JSON.stringify(Object.entries(o).sort(([x], [y]) => x.localeCompare(y)));
  return a !== undefined && sorted(a) === sorted(b);
}

/** The recordCounts calls the origin stub saw. */
async function countCalls(): Promise<{ flushId: string; rows: CountRow[] }[]> {
  return (await origin.testCalls()).filter((c) => c.method === "recordCounts").map((c) => JSON.parse(c.key));
}

async function waitFor<T>(read: () => Promise<T>, ok: (v: T) => boolean, ms = 3000): Promise<T> {
  const until = Date.now() + ms;
  let value = await read();
  while (!ok(value) && Date.now() < until) {
    await sleep(50);
    value = await read();
  }
  return value;
}

describe("scan counting", () => {
  it("spreads ids over 16 shards", () => {
    const shards = new Set(Array.from({ length: 200 }, () => scanShardOf(crypto.randomUUID())));
    expect(shards.size).toBe(SCAN_SHARDS);
  });

  it("counts each kind of event in the shard of the id, self-announced bots apart", async () => {
    const { creds } = await seedWorld();
    const id = creds[0]!.id;
    for (let i = 0; i < 3; i++) expect((await call(`/api/v1/verify/${id}`)).status).toBe(200);
    for (let i = 0; i < 2; i++) expect((await call(`/c/${id}`)).status).toBe(200);
    expect((await call(`/c/${id}`, { headers: { "user-agent": "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)" } })).status).toBe(200);
    expect((await call(`/c/${id}`, { headers: { "user-agent": "LinkedInBot/1.0 (compatible; Mozilla/5.0; Apache-HttpClient +http://www.linkedin.com)" } })).status).toBe(200);
    expect((await call(`/c/${id}/embed`)).status).toBe(200);
    expect((await call(`/c/${id}/badge.png`)).status).toBe(200);
    expect((await call(`/c/${id}/linkedin`, { redirect: "manual" })).status).toBe(302);
    const posted = await call("/api/v1/verify", { method: "POST", body: creds[0]!.jwt, headers: { "content-type": "text/plain", "user-agent": "curl/8.5.0" } });
    expect(posted.status).toBe(200);
    // Not counted: the JSON document, oEmbed, an unknown id.
    expect((await call(`/c/${id}.json`)).status).toBe(200);
    expect((await call(`/oembed?url=${encodeURIComponent(`${BASE}/c/${id}`)}`)).status).toBe(200);
    expect((await call(`/c/${crypto.randomUUID()}`)).status).toBe(404);
    const expected = { verifications: 4, views: 2, bot_views: 2, embeds: 1, images: 1, shares: 1 };
    // Handed over after a gathering period (SCAN_GATHER_MS), in waitUntil: poll with a generous deadline.
    const pending = await waitFor(() => shardOf(id).pending(), (p) => sameCounts(p[id], expected), 10_000);
    expect(pending[id]).toEqual(expected);
  }, 30_000);

  it("POST /api/v1/verify counts only credentials signed by an issuer hosted here", async () => {
    const { creds } = await seedWorld();
    const ours = creds[0]!;
    // Same credential id, but a JWT whose signature does not verify: it must not count.
    const [h, p] = ours.jwt.split(".");
    const forged = `${h}.${p}.${"A".repeat(86)}`;
    expect((await call("/api/v1/verify", { method: "POST", body: forged, headers: { "content-type": "text/plain" } })).status).toBe(200);
    expect((await call("/api/v1/verify", { method: "POST", body: ours.jwt, headers: { "content-type": "application/vc+jwt" } })).status).toBe(200);
    const pending = await waitFor(() => shardOf(ours.id).pending(), (p) => p[ours.id]?.verifications === 1, 10_000);
    await sleep(500); // a wrongly counted forged call would have landed by now too
    expect((await shardOf(ours.id).pending())[ours.id]).toEqual({ verifications: 1 });
    expect(pending[ours.id]).toEqual({ verifications: 1 });
  }, 30_000);

  it("keeps a chunk when the origin fails and resends it with the same flush id; counts added meanwhile wait for the next chunk", async () => {
    const shard = freshShard();
    const [a, b] = [crypto.randomUUID(), crypto.randomUUID()];
    await shard.add([
      { credentialId: a, day: today(), counts: { views: 4, bot_views: 1 } },
      { credentialId: b, day: today(), counts: { verifications: 2 } },
    ]);
    await origin.testSetDown(true);
    const failed = await shard.flush();
    expect(failed).toMatchObject({ ok: false, flushed: 0 });
    expect((await shard.pending())[a]).toEqual({ views: 4, bot_views: 1 });
    await shard.add([{ credentialId: a, day: today(), counts: { views: 1 } }]);
    expect((await shard.pending())[a]).toEqual({ views: 5, bot_views: 1 });
    await origin.testSetDown(false);
    const retried = await shard.flush();
    expect(retried).toMatchObject({ ok: true, flushed: 2, flushId: failed.flushId });
    expect(await origin.testCounts()).toEqual({ [a]: { views: 4, bot_views: 1 }, [b]: { verifications: 2 } });
    const next = await shard.flush();
    expect(next).toMatchObject({ ok: true, flushed: 1 });
    expect(next.flushId).not.toBe(failed.flushId);
    expect(await origin.testCounts()).toEqual({ [a]: { views: 5, bot_views: 1 }, [b]: { verifications: 2 } });
    expect(await shard.pending()).toEqual({});
    expect((await countCalls()).map((c) => c.flushId)).toEqual([failed.flushId, failed.flushId, next.flushId]);
  });

  it("a flush whose answer was lost is sent again with the same id and counted once", async () => {
    const shard = freshShard();
    const id = crypto.randomUUID();
    await shard.add([{ credentialId: id, day: today(), counts: { shares: 3 } }]);
    await origin.testLoseAnswers(true);
    const lost = await shard.flush();
    expect(lost.ok).toBe(false);
    expect(await origin.testCounts()).toEqual({ [id]: { shares: 3 } }); // applied, but the shard did not hear it
    await origin.testLoseAnswers(false);
    expect(await shard.flush()).toMatchObject({ ok: true, flushId: lost.flushId });
    expect(await origin.testCounts()).toEqual({ [id]: { shares: 3 } });
    expect(await shard.pending()).toEqual({});
  });

  it("counts per UTC day: one row per credential and day, malformed rows ignored", async () => {
    const shard = freshShard();
    const id = crypto.randomUUID();
    await shard.add([
      { credentialId: id, day: "2026-11-28", counts: { views: 1 } },
      { credentialId: id, day: "2026-11-29", counts: { views: 2 } },
      { credentialId: id, day: "not-a-day", counts: { views: 5 } },
      { credentialId: id, day: "2026-11-29", counts: { views: -1, nonsense: 4 } as never },
    ]);
    expect(await shard.flush()).toMatchObject({ ok: true, flushed: 2 });
    const [sent] = await countCalls();
    expect(sent!.rows.map((r) => [r.day, r.counts]).sort()).toEqual([["2026-11-28", { views: 1 }], ["2026-11-29", { views: 2 }]]);
  });

  it("schedules an alarm when counts arrive, and the alarm flushes them", async () => {
    const id = crypto.randomUUID();
    const shard = shardOf(id);
    await shard.add([{ credentialId: id, day: today(), counts: { views: 1 } }]);
    await runInDurableObject(shard, async (instance: ScanCounter, state) => {
      expect(await state.storage.getAlarm()).not.toBeNull();
      await instance.alarm();
    });
    expect((await origin.testCounts())[id]).toEqual({ views: 1 });
  });

  it("answers verification even when scan counting cannot reach its shard", async () => {
    const { creds } = await seedWorld();
    const id = creds[0]!.id;
    // A shard that never answers while the request runs, then fails: the answer must not wait for it.
    let fail!: () => void;
    const failing = new Promise<void>((resolve) => (fail = resolve));
    const calls: string[] = [];
    const brokenCounters = {
      idFromName: (name: string) => testEnv.SCAN_COUNTERS.idFromName(name),
      get: () => ({
        add: async (rows: CountRow[]) => {
          calls.push(...rows.map((r) => r.credentialId));
          await failing;
          throw new Error("Durable Object unreachable (test)");
        },
      }),
    } as unknown as typeof testEnv.SCAN_COUNTERS;
    const errorsBefore = await handoverErrors();
    const exec = createExecutionContext();

    const res = await worker.fetch(new Request(`${BASE}/api/v1/verify/${id}`), { ...testEnv, SCAN_COUNTERS: brokenCounters }, exec);
    expect(res.status).toBe(200);
    expect(((await res.json()) as { verified: boolean }).verified).toBe(true);

    fail();
    await waitOnExecutionContext(exec);
    expect(calls).toEqual([id]); // the hand-over did try this shard, after the answer
    expect(await handoverErrors()).toBe(errorsBefore + 1);
    expect((await shardOf(id).pending())[id]).toBeUndefined();
  });

  it("drains a backlog larger than one origin call over several flushes, in chunks the origin accepts", async () => {
    const shard = freshShard();
    const backlog = manyRows(MAX_SCAN_IDS_PER_CALL + 7);
    await origin.testSetDown(true);
    expect(await shard.add(backlog)).toEqual({ dropped: 0 });
    expect(await shard.flush()).toMatchObject({ ok: false, flushed: 0 });
    expect(Object.keys(await shard.pending())).toHaveLength(MAX_SCAN_IDS_PER_CALL + 7);
    await origin.testSetDown(false);
    expect(await shard.flush()).toMatchObject({ ok: true, flushed: MAX_SCAN_IDS_PER_CALL, more: true });
    expect(await shard.flush()).toMatchObject({ ok: true, flushed: 7, more: false });
    expect(await shard.pending()).toEqual({});
    expect(await origin.testCounts()).toEqual(views(backlog));
    const sizes = (await countCalls()).map((c) => c.rows.length);
    expect(sizes).toEqual([MAX_SCAN_IDS_PER_CALL, MAX_SCAN_IDS_PER_CALL, 7]); // failed, then two chunks
  }, 60_000); // tens of thousands of storage rows: slow on a loaded machine

  it("schedules the next chunk soon after a partial flush, not a whole interval later", async () => {
    const shard = freshShard();
    await shard.add(manyRows(MAX_SCAN_IDS_PER_CALL + 1));
    await runInDurableObject(shard, async (instance: ScanCounter, state) => {
      const before = Date.now();
      await instance.alarm();
      const next = await state.storage.getAlarm();
      expect(next).not.toBeNull();
      expect(next!).toBeLessThan(before + SCAN_FLUSH_INTERVAL_MS);
      await instance.alarm();
    });
    expect(Object.keys(await origin.testCounts())).toHaveLength(MAX_SCAN_IDS_PER_CALL + 1);
  }, 60_000); // tens of thousands of storage rows: slow on a loaded machine

  it("keeps counts while the origin fails, bounded: known rows keep counting, rows beyond the bound are dropped", async () => {
    const shard = freshShard();
    await origin.testSetDown(true);
    const first = manyRows(MAX_PENDING_IDS);
    expect(await shard.add(first)).toEqual({ dropped: 0 });
    const known = first[first.length - 1]!;
    expect(await shard.add([...manyRows(10), { ...known, counts: { views: 5 } }])).toEqual({ dropped: 10 });
    expect(await shard.flush()).toMatchObject({ ok: false });
    // The failed chunk left the pending rows for the in-flight slot: that much room is back.
    expect(await shard.add(manyRows(MAX_SCAN_IDS_PER_CALL + 3))).toEqual({ dropped: 3 });
    const pending = await shard.pending();
    expect(Object.keys(pending)).toHaveLength(MAX_PENDING_IDS + MAX_SCAN_IDS_PER_CALL);
    expect(pending[known.credentialId]).toEqual({ views: 7 });
    await origin.testSetDown(false);
    expect(await shard.flush()).toMatchObject({ ok: true, flushed: MAX_SCAN_IDS_PER_CALL });
    expect(await shard.flush()).toMatchObject({ ok: true, flushed: MAX_SCAN_IDS_PER_CALL });
    expect(await shard.add(manyRows(10))).toEqual({ dropped: 0 });
  }, 60_000); // tens of thousands of storage rows: slow on a loaded machine
});

/** The edge's count of scan batches dropped because a shard could not be reached. */
async function handoverErrors(): Promise<number> {
  const line = (await edgeMetrics.render()).split("\n").find((l) => l.startsWith("laurel_edge_scan_handover_errors_total{"));
  return line ? Number(line.split(" ").pop()) : 0;
}
