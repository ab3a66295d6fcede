// Status list validity: every publication signs the list valid from now for
// STATUS_LIST_VALIDITY_DAYS, and the origin's cron re-signs lists nearing their validUntil,
// republishing them to KV and the edge's StatusListAuthority (real libSQL, KV and Durable Object).
import { createScheduledController, env, reset, waitOnExecutionContext } from "cloudflare:test";
import { eq } from "drizzle-orm";
import { decodeJwt } from "jose";
import { afterEach, describe, expect, it } from "vitest";
import { keysFromDocument } from "../../../shared/keys/index.ts";
import { kvKeys, type IssuerProjection, type StatusListProjection } from "../../../shared/kv-keys.ts";
import { verifyStatusList } from "../../../shared/status-list/index.ts";
import { statusLists } from "../../db/schema/index.ts";
import type { OriginEnv } from "../../env.ts";
import worker from "../../index.ts";
import { EdgeApi } from "../../rpc/edge-api.ts";
import { deliver, newIssuer, originEnv, testEnv } from "../../test/queue-fixtures.ts";
import { publishStatusList, statusListAuthority } from "../publication/status-list.ts";
import { statusListValidity } from "./validity.ts";
import { testContext } from "../../test/execution-context.ts";

afterEach(() => reset());

const DAY = 86_400_000;
const kv = () => originEnv.PROJECTIONS;

async function publishedList(listId: string) {
  return (await kv().get<StatusListProjection>(kvKeys.statusList(listId), "json"))!;
}

/** An org whose issuer document and status list have been published by their jobs. */
async function publishedIssuer() {
  const issuer = await newIssuer();
  await deliver(testEnv(), [
    { type: "issuer.publish", orgId: issuer.org.id, requestId: "r" },
    { type: "status-list.publish", statusListId: issuer.org.statusListId, requestId: "r" },
  ]);
  const doc = await kv().get<IssuerProjection>(kvKeys.issuer(issuer.org.slug), "json");
  const resolveIssuerKeys = (did: string) => keysFromDocument(doc!.didDocument, did);
  return { ...issuer, listId: issuer.org.statusListId, resolveIssuerKeys };
}

describe("status list validity period", () => {
  it("a publication is valid from its signing time for 7 days, nbf/exp matching, and records validUntil", async () => {
    const before = Math.floor(Date.now() / 1000) * 1000;
    const { db, listId, resolveIssuerKeys } = await publishedIssuer();
    const { jwt } = await publishedList(listId);
    const claims = decodeJwt(jwt) as { validFrom: string; validUntil: string; nbf: number; exp: number };
    const from = Date.parse(claims.validFrom);
    expect(from).toBeGreaterThanOrEqual(before);
    expect(from).toBeLessThanOrEqual(Date.now());
    expect(Date.parse(claims.validUntil) - from).toBe(7 * DAY);
    expect(claims.nbf * 1000).toBe(from);
    expect(claims.exp * 1000).toBe(Date.parse(claims.validUntil));
    expect(await verifyStatusList(jwt, { resolveIssuerKeys })).toMatchObject({ validFrom: claims.validFrom, validUntil: claims.validUntil });
    const [row] = await db.select().from(statusLists).where(eq(statusLists.id, listId));
    expect(row!.validUntil?.getTime()).toBe(Date.parse(claims.validUntil));
  });

  it("follows STATUS_LIST_VALIDITY_DAYS and refuses a setting that is not 1-366 whole days", async () => {
    const { db, org } = await newIssuer();
    // 3 days: beyond the default 2-day refresh window, so the cron test below leaves this list alone.
    await publishStatusList(db, { ...originEnv, STATUS_LIST_VALIDITY_DAYS: "3" }, org.statusListId);
    const claims = decodeJwt((await publishedList(org.statusListId)).jwt) as { validFrom: string; validUntil: string };
    expect(Date.parse(claims.validUntil) - Date.parse(claims.validFrom)).toBe(3 * DAY);

    for (const bad of ["0", "seven", "1.5", "400", "-3"]) {
      await expect(publishStatusList(db, { ...originEnv, STATUS_LIST_VALIDITY_DAYS: bad }, org.statusListId), bad).rejects.toThrow(
        /STATUS_LIST_VALIDITY_DAYS must be a whole number of days from 1 to 366/,
      );
    }
    expect(statusListValidity({})).toEqual({ periodMs: 7 * DAY, refreshAheadMs: 2 * DAY });
    expect(statusListValidity({ STATUS_LIST_VALIDITY_DAYS: "1" })).toEqual({ periodMs: DAY, refreshAheadMs: DAY / 2 });
  });

  it("the edge's on-demand publication (EdgeApi.statusListProjection) records validUntil too", async () => {
    const { db, org } = await newIssuer();
    const projection = await new EdgeApi(testContext(), originEnv).statusListProjection(org.statusListId);
    const claims = decodeJwt(projection!.jwt) as { validUntil: string };
    const [row] = await db.select().from(statusLists).where(eq(statusLists.id, org.statusListId));
    expect(row!.validUntil?.getTime()).toBe(Date.parse(claims.validUntil));
  });
});

describe("the cron re-signs status lists before they expire", () => {
  it("re-signs a list within 2 days of its validUntil and republishes it to KV and the authority; a fresh list is left alone", async () => {
    const closeToExpiry = await publishedIssuer();
    const fresh = await publishedIssuer();
    const { db } = closeToExpiry;
    // As if the list had been signed 6 days and 23 hours ago.
    await db.update(statusLists).set({ validUntil: new Date(Date.now() + 3600_000) }).where(eq(statusLists.id, closeToExpiry.listId));
    const old = await publishedList(closeToExpiry.listId);
    const untouched = await publishedList(fresh.listId);
    const started = Math.floor(Date.now() / 1000) * 1000;

    const ctx = testContext();
    await worker.scheduled(createScheduledController({ cron: "*/30 * * * *", scheduledTime: Date.now() }), env as unknown as OriginEnv, ctx);
    await waitOnExecutionContext(ctx);

    const renewed = await publishedList(closeToExpiry.listId);
    expect(renewed.version).toBe(old.version + 1);
    expect(renewed.jwt).not.toBe(old.jwt);
    const list = await verifyStatusList(renewed.jwt, { resolveIssuerKeys: closeToExpiry.resolveIssuerKeys });
    expect(Date.parse(list.validFrom)).toBeGreaterThanOrEqual(started);
    expect(Date.parse(list.validUntil!) - Date.parse(list.validFrom)).toBe(7 * DAY);
    const held = await statusListAuthority(originEnv, closeToExpiry.listId).current();
    expect(held).toMatchObject({ version: renewed.version, jwt: renewed.jwt });
    const [row] = await db.select().from(statusLists).where(eq(statusLists.id, closeToExpiry.listId));
    expect(row!.validUntil?.getTime()).toBe(Date.parse(list.validUntil!));
    expect(row!.version).toBe(renewed.version);

    expect(await publishedList(fresh.listId)).toEqual(untouched);
    expect((await statusListAuthority(originEnv, fresh.listId).current())?.jwt).toBe(untouched.jwt);
  });
});
