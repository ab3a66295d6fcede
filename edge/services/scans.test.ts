// Scan counting: never on the answer's path, sharded over ScanCounter objects, flushed to the
// origin's recordScans in batches.
import { createExecutionContext, runInDurableObject, waitOnExecutionContext } from "cloudflare:test";
import { afterEach, describe, expect, it } from "vitest";
import worker from "../index.ts";
import { edgeMetrics } from "../metrics.ts";
import type { ScanCounter } from "../objects/scan-counter.do.ts";
import { BASE, call, origin, seedWorld, sleep, testEnv } from "../test/fixtures.ts";
import { SCAN_SHARDS, scanShardName, scanShardOf } from "./scans.ts";

afterEach(async () => {
  await origin.testReset();
});

function shardOf(id: string) {
  return testEnv.SCAN_COUNTERS.get(testEnv.SCAN_COUNTERS.idFromName(scanShardName(scanShardOf(id))));
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
});

/** The edge's count of scan batches dropped because a shard could not be reached. */
async function handoverErrors(): Promise<number> {
  const line = (await edgeMetrics.render()).split("\n").find((l) => l.startsWith("laurel_edge_scan_handover_errors_total{"));
  return line ? Number(line.split(" ").pop()) : 0;
}
