// The read path's miss behaviour: invented ids cannot make the edge hammer the origin (negative
// cache, per-client budget), and the in-isolate caches hold settled values only (a failed load is
// not remembered; a request that never finishes does not hold up the next one).
import { afterEach, describe, expect, it } from "vitest";
import { newCredentialIdInSet, newCredentialSetId } from "../../shared/credential-sets.ts";
import { kvKeys } from "../../shared/kv-keys.ts";
import { call, issueCredential, listProjection, makeIssuer, origin, pushListToAuthority, putCredential, putListInKv, seedWorld, sleep, testEnv } from "../test/fixtures.ts";
import { DEFAULT_ORIGIN_READ_RATE_LIMIT } from "./rate-limit.ts";
import { STATUS_MEMORY_TTL_MS } from "./status-lists.ts";

afterEach(async () => {
  await origin.testRelease();
  await origin.testReset();
});

const [BUDGET, PER_SECONDS] = DEFAULT_ORIGIN_READ_RATE_LIMIT.split("/").map(Number) as [number, number];

/** Most origin read-throughs one client may cause in `elapsedMs`: the burst plus what refilled meanwhile. */
function allowance(elapsedMs: number): number {
  return BUDGET + Math.ceil((elapsedMs / 1000) * (BUDGET / PER_SECONDS));
}

/** GETs `path()` from `client` `n` times; the statuses and how long it took. */
async function flood(n: number, path: () => string, client: () => string) {
  const started = Date.now();
  const statuses: number[] = [];
  for (let i = 0; i < n; i++) statuses.push((await call(path(), from(client()))).status);
  return { statuses, elapsedMs: Date.now() - started };
}

/** A client address of its own (rate-limit buckets live as long as the isolate). */
function newClient(): string {
  return `203.0.113.${Math.floor(Math.random() * 250) + 1}-${crypto.randomUUID().slice(0, 4)}`;
}

function from(client: string): RequestInit {
  return { headers: { "cf-connecting-ip": client } };
}

async function originCalls(method: string): Promise<number> {
  return (await origin.testCalls()).filter((c) => c.method === method).length;
}

async function kvKeyNames(): Promise<string[]> {
  return (await testEnv.PROJECTIONS.list()).keys.map((k) => k.name).sort();
}

describe("miss paths", () => {
  it("a flood of random ids inside one credential set's prefix writes no KV, asks the origin at most the client's budget, then 429", async () => {
    const { issuer, listId } = await seedWorld();
    const setId = newCredentialSetId();
    const member = await issueCredential(issuer, listId, 1, { id: newCredentialIdInSet(setId) });
    await testEnv.PROJECTIONS.put(kvKeys.credentialSet(setId), JSON.stringify({ setId, credentials: [member.projection] }));
    const before = await kvKeyNames();
    const client = newClient();
    const { statuses, elapsedMs } = await flood(BUDGET * 2, () => `/c/${newCredentialIdInSet(setId)}.jwt`, () => client);
    const asked = await originCalls("credentialProjection");
    expect(statuses.slice(0, BUDGET).every((s) => s === 404)).toBe(true);
    expect(statuses.filter((s) => s === 404)).toHaveLength(asked); // every other answer was a 429
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThan(0);
    expect(asked).toBeLessThanOrEqual(allowance(elapsedMs));
    expect(await kvKeyNames()).toEqual(before);
    // The published member is still served to that client (no origin needed), and other clients have their own budget.
    expect((await call(`/c/${member.id}.jwt`, from(client))).status).toBe(200);
    expect((await call(`/c/${newCredentialIdInSet(setId)}.jwt`, from(newClient()))).status).toBe(404);
  });

  it("answers 429 with Retry-After as problem+json naming the limit", async () => {
    const client = newClient();
    let limited = await call(`/api/v1/verify/${crypto.randomUUID()}`, from(client));
    for (let i = 0; i < BUDGET * 2 && limited.status !== 429; i++) limited = await call(`/api/v1/verify/${crypto.randomUUID()}`, from(client));
    expect(limited.status).toBe(429);
    expect(limited.headers.get("content-type")).toContain("application/problem+json");
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(await limited.json()).toMatchObject({ code: "RATE_LIMITED" });
  });

  it("keys IPv6 clients by /64: addresses of one subscriber share one budget", async () => {
    const prefix = `2001:db8:${Math.floor(Math.random() * 0xffff).toString(16)}:42`;
    let host = 0;
    const { statuses, elapsedMs } = await flood(BUDGET * 2, () => `/c/${crypto.randomUUID()}.jwt`, () => `${prefix}::${(++host).toString(16)}`);
    expect(statuses.filter((s) => s === 404).length).toBeLessThanOrEqual(allowance(elapsedMs));
    expect(statuses).toContain(429);
    expect((await call(`/c/${crypto.randomUUID()}.jwt`, from(`${prefix.replace(/42$/, "43")}::1`))).status).toBe(404);
  });

  it("asks the origin about an unknown id once; the repeat is answered from the negative cache", async () => {
    const id = crypto.randomUUID();
    const client = newClient();
    expect((await call(`/c/${id}.jwt`, from(client))).status).toBe(404);
    expect((await call(`/c/${id}.json`, from(client))).status).toBe(404);
    expect(await originCalls("credentialProjection")).toBe(1);
  });

  it("status lists: a non-UUID id is 404 without any lookup; a list the origin does not know is not asked of its Durable Object again", async () => {
    const authorityReads = async () => Number(/laurel_edge_status_authority_reads_total\{[^}]*\} (\d+)/.exec(await (await call("/metrics")).text())?.[1] ?? 0);
    const start = await authorityReads();
    expect((await call("/status/not-a-uuid-list")).status).toBe(404);
    expect(await authorityReads()).toBe(start);
    expect(await originCalls("statusListProjection")).toBe(0);
    const unknown = crypto.randomUUID();
    expect((await call(`/status/${unknown}`)).status).toBe(404);
    expect(await authorityReads()).toBe(start + 1);
    await sleep(STATUS_MEMORY_TTL_MS + 100); // past the status memory: the next read is a fresh miss
    expect((await call(`/status/${unknown}`)).status).toBe(404);
    expect(await authorityReads()).toBe(start + 1);
    expect(await originCalls("statusListProjection")).toBe(1);
  });
  it("a client out of read-through budget gets 429 for a credential whose issuer is not published yet, never a cached 'unknown' verification", async () => {
    const issuer = await makeIssuer();
    const listId = crypto.randomUUID();
    const list = await listProjection(issuer, listId, {});
    await putListInKv(list);
    await pushListToAuthority(list);
    const credential = await issueCredential(issuer, listId, 0);
    await putCredential(credential); // published, but its issuer is known only to the origin
    await origin.testSeed({ issuers: { [issuer.slug]: issuer.projection } });
    const client = newClient();
    let spent = 0;
    while ((await call(`/c/${crypto.randomUUID()}.jwt`, from(client))).status !== 429 && spent++ < BUDGET * 2);
    for (const path of [`/api/v1/verify/${credential.id}`, `/c/${credential.id}`]) {
      const res = await call(path, from(client));
      expect(res.status, path).toBe(429);
      expect(res.headers.get("cache-control") ?? "", path).not.toMatch(/public|max-age=[1-9]/);
    }
    // Another client resolves the issuer through the origin and sees the credential valid.
    const other = await call(`/api/v1/verify/${credential.id}`, from(newClient()));
    expect(other.status).toBe(200);
    expect(await other.json()).toMatchObject({ status: "valid" });
  });
});

describe("caches hold settled values only", () => {
  it("a rejected origin load is not cached: the next request asks again and gets the answer", async () => {
    const issuer = await makeIssuer();
    const issued = await issueCredential(issuer, crypto.randomUUID(), 0);
    await origin.testSeed({ credentials: { [issued.id]: issued.projection } });
    await origin.testSetDown(true);
    expect((await call(`/c/${issued.id}.jwt`)).status).toBe(404);
    await origin.testSetDown(false);
    const res = await call(`/c/${issued.id}.jwt`);
    expect(res.status).toBe(200);
    expect(await res.text()).toBe(issued.jwt);
    expect(await originCalls("credentialProjection")).toBe(2);
  });

  it("a first request that never finishes (cancelled) does not hold up or poison the next request for the same id", async () => {
    const issuer = await makeIssuer();
    const issued = await issueCredential(issuer, crypto.randomUUID(), 0);
    await origin.testSeed({ credentials: { [issued.id]: issued.projection } });
    await origin.testHoldNext("credentialProjection");
    const cancel = new AbortController();
    const first = call(`/c/${issued.id}.jwt`, { signal: cancel.signal }).catch((error: unknown) => error);
    const deadline = Date.now() + 10_000;
    while ((await originCalls("credentialProjection")) === 0 && Date.now() < deadline) await sleep(20);
    cancel.abort();
    // Still held at the origin: the second request must load for itself, not wait on the first.
    const second = await Promise.race([call(`/c/${issued.id}.jwt`), sleep(15_000).then(() => "still waiting" as const)]);
    expect(second).not.toBe("still waiting");
    const res = second as Response;
    expect(res.status).toBe(200);
    expect(await res.text()).toBe(issued.jwt);
    await origin.testRelease();
    await first;
  }, 30_000);
});
