// Scan counting: never on the answer's path, sharded over ScanCounter objects, flushed to the
// origin's recordScans in batches.
import { createExecutionContext, runInDurableObject, waitOnExecutionContext } from "cloudflare:test";
import { afterEach, describe, expect, it } from "vitest";
import worker from "../index.ts";
import { edgeMetrics } from "../metrics.ts";
import { MAX_PENDING_IDS, SCAN_FLUSH_INTERVAL_MS, type ScanCounter } from "../objects/scan-counter.do.ts";
import { MAX_SCAN_IDS_PER_CALL } from "../../shared/origin-rpc.ts";
import { BASE, call, origin, seedWorld, sleep, testEnv } from "../test/fixtures.ts";
import { SCAN_GATHER_MS, SCAN_SHARDS, scanShardName, scanShardOf } from "./scans.ts";

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

function manyIds(n: number): Record<string, number> {
  return Object.fromEntries(Array.from({ length: n }, () => [crypto.randomUUID(), 2]));
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

  it("counts views in the shard of the id", async () => {
    const { creds } = await seedWorld();
    const id = creds[0]!.id;
    for (let i = 0; i < 3; i++) expect((await call(`/api/v1/verify/${id}`)).status).toBe(200);
    // Handed over after a gathering period (SCAN_GATHER_MS), in waitUntil: poll with a generous deadline.
    const pending = await waitFor(() => shardOf(id).pending(), (p) => p[id] === 3, 10_000);
    expect(pending[id]).toBe(3);
  }, 30_000);

  it("flushes a shard's counts to the origin in one batch and keeps them when the origin fails", async () => {
    const { creds } = await seedWorld();
    const id = creds[0]!.id;
    const shard = shardOf(id);
    // Start from an empty shard: the previous test's views may have landed in this one (1 in 16).
    await shard.flush();
    await origin.testReset();
    await shard.add({ [id]: 4, "other-id": 2 });
    await origin.testSetDown(true);
    expect(await shard.flush()).toMatchObject({ ok: false, flushed: 0 });
    expect((await shard.pending())[id]).toBe(4);
    await origin.testSetDown(false);
    expect(await shard.flush()).toMatchObject({ ok: true, flushed: 2 });
    expect(await origin.testScans()).toMatchObject({ [id]: 4, "other-id": 2 });
    expect((await shard.pending())[id]).toBeUndefined();
    const batches = (await origin.testCalls()).filter((c) => c.method === "recordScans");
    expect(batches).toHaveLength(2); // the failed attempt and the one that succeeded
  });

  it("schedules an alarm when counts arrive, and the alarm flushes them", async () => {
    const id = crypto.randomUUID();
    const shard = shardOf(id);
    await shard.add({ [id]: 1 });
    await runInDurableObject(shard, async (instance: ScanCounter, state) => {
      expect(await state.storage.getAlarm()).not.toBeNull();
      await instance.alarm();
    });
    expect((await origin.testScans())[id]).toBe(1);
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
        add: async (counts: Record<string, number>) => {
          calls.push(...Object.keys(counts));
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
    const backlog = manyIds(MAX_SCAN_IDS_PER_CALL + 7);
    await origin.testSetDown(true);
    expect(await shard.add(backlog)).toEqual({ dropped: 0 });
    expect(await shard.flush()).toMatchObject({ ok: false, flushed: 0 });
    expect(Object.keys(await shard.pending())).toHaveLength(MAX_SCAN_IDS_PER_CALL + 7);
    await origin.testSetDown(false);
    expect(await shard.flush()).toMatchObject({ ok: true, flushed: MAX_SCAN_IDS_PER_CALL, more: true });
    expect(await shard.flush()).toMatchObject({ ok: true, flushed: 7, more: false });
    expect(await shard.pending()).toEqual({});
    expect(await origin.testScans()).toEqual(backlog);
    const sizes = (await origin.testCalls()).filter((c) => c.method === "recordScans").map((c) => Object.keys(JSON.parse(c.key)).length);
    expect(sizes).toEqual([MAX_SCAN_IDS_PER_CALL, MAX_SCAN_IDS_PER_CALL, 7]); // failed, then two chunks
  });

  it("schedules the next chunk soon after a partial flush, not a whole interval later", async () => {
    const shard = freshShard();
    await shard.add(manyIds(MAX_SCAN_IDS_PER_CALL + 1));
    await runInDurableObject(shard, async (instance: ScanCounter, state) => {
      const before = Date.now();
      await instance.alarm();
      const next = await state.storage.getAlarm();
      expect(next).not.toBeNull();
      expect(next!).toBeLessThan(before + SCAN_FLUSH_INTERVAL_MS);
      await instance.alarm();
    });
    expect(Object.keys(await origin.testScans())).toHaveLength(MAX_SCAN_IDS_PER_CALL + 1);
  });

  it("keeps counts while the origin fails, bounded: known ids keep counting, ids beyond the bound are dropped", async () => {
    const shard = freshShard();
    await origin.testSetDown(true);
    const first = manyIds(MAX_PENDING_IDS);
    expect(await shard.add(first)).toEqual({ dropped: 0 });
    const known = Object.keys(first)[0]!;
    expect(await shard.add({ ...manyIds(10), [known]: 5 })).toEqual({ dropped: 10 });
    expect(await shard.flush()).toMatchObject({ ok: false });
    const pending = await shard.pending();
    expect(Object.keys(pending)).toHaveLength(MAX_PENDING_IDS);
    expect(pending[known]).toBe(7);
    // Room comes back as the origin takes the backlog.
    await origin.testSetDown(false);
    expect(await shard.flush()).toMatchObject({ ok: true, flushed: MAX_SCAN_IDS_PER_CALL });
    expect(await shard.add(manyIds(10))).toEqual({ dropped: 0 });
  });
});

/** The edge's count of scan batches dropped because a shard could not be reached. */
async function handoverErrors(): Promise<number> {
  const line = (await edgeMetrics.render()).split("\n").find((l) => l.startsWith("laurel_edge_scan_handover_errors_total{"));
  return line ? Number(line.split(" ").pop()) : 0;
}
