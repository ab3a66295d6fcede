// The location tiers of status lists (edge/services/status-lists.ts): the Cache API shared by a
// location's isolates and the location's StatusListRelay object in front of the authority.
//
// What these tests can and cannot show: vitest-pool-workers runs the Worker in one isolate, so
// "another isolate of the same location" is modelled two ways. (1) Calling the location's relay
// object directly and concurrently, which is exactly the call every isolate of the location makes
// after missing its memory and the Cache API (the worst case: all of them miss at once).
// (2) Emptying this isolate's memory tiers (clearStatusMemory) between requests, which leaves only
// what a fresh isolate of the same location would share: the Cache API and the relay.
import { afterEach, describe, expect, it } from "vitest";
import { dropLocationCopy } from "../cache/status-location.ts";
import { call, listProjection, pushListToAuthority, seedWorld, sleep, testEnv } from "../test/fixtures.ts";
import { clearStatusMemory, relayName, STATUS_MEMORY_TTL_MS } from "./status-lists.ts";

afterEach(() => clearStatusMemory());

function relayOf(listId: string) {
  return testEnv.STATUS_RELAYS.get(testEnv.STATUS_RELAYS.idFromName(relayName(listId)));
}

async function metric(name: string): Promise<number> {
  const text = await (await call("/metrics")).text();
  return Number(new RegExp(`${name}\\{[^}]*\\} (\\d+)`).exec(text)?.[1] ?? 0);
}

/** Waits until every copy read so far is older than the refresh interval. */
const pastInterval = () => sleep(STATUS_MEMORY_TTL_MS + 200);

describe("status lists: one authority read per location per refresh interval", () => {
  it("many isolates of one location asking the relay at once make one authority read per interval", async () => {
    const { listId, list } = await seedWorld();
    const relay = relayOf(listId);
    const isolates = 40;
    const wave = () => Promise.all(Array.from({ length: isolates }, () => relay.read(listId, STATUS_MEMORY_TTL_MS)));

    const first = await wave();
    expect(first.every((r) => r.projection?.version === list.version)).toBe(true);
    expect(await relay.stats()).toEqual({ calls: isolates, authorityReads: 1 });
    await wave(); // the same interval: answered from the relay's copy
    expect((await relay.stats()).authorityReads).toBe(1);

    await pastInterval();
    await wave();
    await wave();
    expect(await relay.stats()).toEqual({ calls: 4 * isolates, authorityReads: 2 });
  }, 30_000);

  it("many concurrent requests, from this isolate and from 'fresh isolates' of the location, reach the relay once per interval and the authority once", async () => {
    const { listId, list } = await seedWorld();
    const relay = relayOf(listId);
    const burst = () => Promise.all(Array.from({ length: 25 }, () => call(`/status/${listId}`)));

    const answers = await burst(); // one isolate, 25 concurrent requests: its single-flight joins them
    expect(answers.map((r) => r.status)).toEqual(Array(25).fill(200));
    expect(answers.map((r) => r.headers.get("etag"))).toEqual(Array(25).fill(`"s${list.version}"`));
    await Promise.all(answers.map((r) => r.arrayBuffer()));
    expect(await relay.stats()).toEqual({ calls: 1, authorityReads: 1 });

    // Three more isolates of this location start within the interval: the Cache API answers them.
    await sleep(100); // the Cache API write runs in waitUntil after the first answer
    const hitsBefore = await metric("laurel_edge_status_location_cache_hits_total");
    for (let isolate = 0; isolate < 3; isolate++) {
      clearStatusMemory();
      const res = await call(`/status/${listId}`);
      expect(res.status).toBe(200);
      await res.arrayBuffer();
    }
    expect(await metric("laurel_edge_status_location_cache_hits_total")).toBe(hitsBefore + 3);
    expect(await relay.stats()).toEqual({ calls: 1, authorityReads: 1 });
  }, 30_000);

  it("a copy is trusted until the authority's read time + the interval, however long a tier kept it", async () => {
    const { issuer, listId } = await seedWorld({ count: 1 });
    expect((await call(`/status/${listId}`)).headers.get("etag")).toBe('"s1"');
    await pushListToAuthority(await listProjection(issuer, listId, { 0: "Revoked" }, 2));
    // A fresh isolate of this location keeps answering version 1 from the location tiers only
    // until their copy's read time + the interval, then sees the revocation: polled, generous deadline.
    const deadline = Date.now() + STATUS_MEMORY_TTL_MS + 10_000;
    let etag: string | null = null;
    while (etag !== '"s2"' && Date.now() < deadline) {
      clearStatusMemory();
      const res = await call(`/status/${listId}`);
      etag = res.headers.get("etag");
      await res.arrayBuffer();
      if (etag !== '"s2"') await sleep(100);
    }
    expect(etag).toBe('"s2"');
    const { authorityReads } = await relayOf(listId).stats();
    expect(authorityReads).toBe(2); // the first read, and the one after the interval; none in between
  }, 30_000);

  it("an expired or forged location-cache entry is never an answer", async () => {
    const { issuer, listId } = await seedWorld({ count: 1 });
    await pushListToAuthority(await listProjection(issuer, listId, { 0: "Revoked" }, 3));
    const cacheKey = `https://status-lists.laurel.internal/${listId}`;
    const stale = { projection: await listProjection(issuer, listId, {}, 1), readAt: Date.now() - 10 * STATUS_MEMORY_TTL_MS };
    const put = (body: string) => caches.default.put(cacheKey, new Response(body, { headers: { "cache-control": "public, max-age=60" } }));

    await put(JSON.stringify(stale));
    expect((await call(`/status/${listId}`)).headers.get("etag")).toBe('"s3"');

    clearStatusMemory();
    await dropLocationCopy(listId);
    await put("{not json");
    await pastInterval();
    expect((await call(`/status/${listId}`)).headers.get("etag")).toBe('"s3"');

    clearStatusMemory();
    await dropLocationCopy(listId);
    await put(JSON.stringify({ projection: { id: crypto.randomUUID(), jwt: "x", version: 9 }, readAt: Date.now() }));
    expect((await call(`/status/${listId}`)).headers.get("etag")).toBe('"s3"');
  }, 30_000);
});
