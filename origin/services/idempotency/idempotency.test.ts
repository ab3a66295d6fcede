import { describe, expect, it } from "vitest";
import { database } from "../../db/client.ts";
import { call, countRows, credentialBody, issue, makeAchievement, makeOrg, problem, testEnv } from "../../test/api.ts";
import { holdDatabaseAt } from "../../test/held-database.ts";
import { parseIdempotencyKey } from "./fingerprint.ts";
import {
  claimIdempotencyKey,
  completeIdempotencyKeyStatement,
  IDEMPOTENCY_CLAIM_LEASE_MS,
  IDEMPOTENCY_TTL_MS,
  purgeExpiredIdempotencyKeys,
  releaseIdempotencyKey,
} from "./store.ts";

const credentialsOf = (orgId: string) => countRows("credentials", "org_id = ?", [orgId]);

describe("Idempotency-Key on POST /v1/credentials", () => {
  it("50 concurrent requests with one key and one body issue exactly one credential; every answer is a replay of it or 409", async () => {
    const org = await makeOrg("idem50");
    const achievement = await makeAchievement(org);
    const key = crypto.randomUUID();
    const body = credentialBody(achievement.id);
    const responses = await Promise.all(Array.from({ length: 50 }, () => issue(org, body, key)));

    expect(await credentialsOf(org.id)).toBe(1);
    const statuses = responses.map((r) => r.status);
    console.info(`IDEMPOTENCY-50: 201=${statuses.filter((s) => s === 201).length} 409=${statuses.filter((s) => s === 409).length}`);
    expect(statuses.every((s) => s === 201 || s === 409)).toBe(true);
    const created = responses.filter((r) => r.status === 201);
    expect(created.length).toBeGreaterThanOrEqual(1);
    expect(created.filter((r) => r.headers.get("idempotency-replayed") !== "true")).toHaveLength(1);
    const bodies = new Set(await Promise.all(created.map((r) => r.text())));
    expect(bodies.size).toBe(1); // replays carry the first answer byte for byte
    for (const r of responses.filter((r) => r.status === 409)) {
      expect((await problem(r)).code).toBe("IDEMPOTENCY_KEY_IN_FLIGHT");
      expect(r.headers.get("retry-after")).toBe("1");
    }

    // After the first completes, a repeat is always a replay with the same id.
    const replay = await issue(org, body, key);
    expect(replay.status).toBe(201);
    expect(replay.headers.get("idempotency-replayed")).toBe("true");
    expect(await replay.text()).toBe([...bodies][0]);
    expect(await credentialsOf(org.id)).toBe(1);
  });

  it("50 staggered retries with one key: still one credential, every 201 carries the same body", async () => {
    const org = await makeOrg("idemstag");
    const achievement = await makeAchievement(org);
    const key = crypto.randomUUID();
    const body = credentialBody(achievement.id);
    const responses = await Promise.all(
      Array.from({ length: 50 }, (_, i) => new Promise<Response>((resolve) => setTimeout(() => resolve(issue(org, body, key)), i * 2))),
    );
    expect(await credentialsOf(org.id)).toBe(1);
    const created = responses.filter((r) => r.status === 201);
    expect(responses.every((r) => r.status === 201 || r.status === 409)).toBe(true);
    expect(created.filter((r) => r.headers.get("idempotency-replayed") !== "true")).toHaveLength(1);
    expect(new Set(await Promise.all(created.map((r) => r.text()))).size).toBe(1);
    console.info(`IDEMPOTENCY-STAGGERED: 201=${created.length} 409=${responses.length - created.length}`);
  });

  it("a repeat while the first request is still running → 409 IDEMPOTENCY_KEY_IN_FLIGHT; once it finishes, a replay", async () => {
    const org = await makeOrg("idem409");
    const achievement = await makeAchievement(org);
    const key = crypto.randomUUID();
    const body = credentialBody(achievement.id);
    // The first request is held just before its credential INSERT: its key is claimed, nothing committed.
    const held = holdDatabaseAt(testEnv, /INSERT INTO credentials/);
    try {
      const first = call("/v1/credentials", { method: "POST", token: org.apiKey, json: body, headers: { "idempotency-key": key } }, held.env);
      await held.reached;
      const repeat = await issue(org, body, key);
      expect(repeat.status).toBe(409);
      expect((await problem(repeat)).code).toBe("IDEMPOTENCY_KEY_IN_FLIGHT");
      expect(repeat.headers.get("retry-after")).toBe("1");
      expect(await credentialsOf(org.id)).toBe(0);

      held.release();
      const done = await first;
      expect(done.status).toBe(201);
      expect(done.headers.get("idempotency-replayed")).toBeNull();
      const replay = await issue(org, body, key);
      expect(replay.status).toBe(201);
      expect(replay.headers.get("idempotency-replayed")).toBe("true");
      expect(await replay.text()).toBe(await done.text());
      expect(await credentialsOf(org.id)).toBe(1);
    } finally {
      held.release();
    }
  });

  it("the answer is stored with the credential (same transaction): the record holds the 201 body byte for byte", async () => {
    const org = await makeOrg("idemtx");
    const achievement = await makeAchievement(org);
    const key = crypto.randomUUID();
    const res = await issue(org, credentialBody(achievement.id), key);
    expect(res.status).toBe(201);
    const text = await res.text();
    const row = await database(testEnv).$client.execute({
      sql: "SELECT state, response_status, response_body FROM idempotency_keys WHERE org_id = ? AND key = ?",
      args: [org.id, key],
    });
    expect(row.rows[0]).toMatchObject({ state: "completed", response_status: 201, response_body: text });
  });

  it("same key with a different body → 422 IDEMPOTENCY_KEY_REUSED, nothing issued", async () => {
    const org = await makeOrg("idem422");
    const achievement = await makeAchievement(org);
    const key = crypto.randomUUID();
    expect((await issue(org, credentialBody(achievement.id, "a@example.edu"), key)).status).toBe(201);
    const res = await issue(org, credentialBody(achievement.id, "b@example.edu"), key);
    expect(res.status).toBe(422);
    expect((await problem(res)).code).toBe("IDEMPOTENCY_KEY_REUSED");
    expect(await credentialsOf(org.id)).toBe(1);
  });

  it("no key → 400 IDEMPOTENCY_KEY_MISSING; an unusable key → 400 IDEMPOTENCY_KEY_INVALID; nothing issued", async () => {
    const org = await makeOrg("idem400");
    const achievement = await makeAchievement(org);
    const missing = await issue(org, credentialBody(achievement.id), null);
    expect(missing.status).toBe(400);
    expect((await problem(missing)).code).toBe("IDEMPOTENCY_KEY_MISSING");
    for (const bad of ["", "x".repeat(256), "has space"]) {
      const res = await issue(org, credentialBody(achievement.id), bad);
      expect(res.status).toBe(400);
      expect((await problem(res)).code).toBe("IDEMPOTENCY_KEY_INVALID");
    }
    expect(await credentialsOf(org.id)).toBe(0);
    expect(await countRows("idempotency_keys", "org_id = ?", [org.id])).toBe(0);
  });

  it("keys are per org: two orgs may use the same key independently", async () => {
    const [a, b] = [await makeOrg("idemA"), await makeOrg("idemB")];
    const key = crypto.randomUUID();
    const ra = await issue(a, credentialBody((await makeAchievement(a)).id), key);
    const rb = await issue(b, credentialBody((await makeAchievement(b)).id), key);
    expect([ra.status, rb.status]).toEqual([201, 201]);
    expect(rb.headers.get("idempotency-replayed")).toBeNull();
    expect(((await ra.json()) as { id: string }).id).not.toBe(((await rb.json()) as { id: string }).id);
  });

  it("a failed request (validation 400, unknown achievement 404) releases the key so a corrected retry succeeds", async () => {
    const org = await makeOrg("idemrel");
    const achievement = await makeAchievement(org);
    const key = crypto.randomUUID();
    const invalid = await issue(org, { achievementId: achievement.id, recipient: { name: "", email: "nope" } }, key);
    expect(invalid.status).toBe(400);
    const held = () => countRows("idempotency_keys", "org_id = ? AND state != 'released'", [org.id]);
    expect(await held()).toBe(0);
    const unknown = await issue(org, credentialBody(crypto.randomUUID()), key);
    expect(unknown.status).toBe(404);
    expect(await held()).toBe(0);
    const ok = await issue(org, credentialBody(achievement.id), key);
    expect(ok.status).toBe(201);
    expect(ok.headers.get("idempotency-replayed")).toBeNull();
    const row = await database(testEnv).$client.execute({
      sql: "SELECT state, response_status, expires_at - created_at AS ttl FROM idempotency_keys WHERE org_id = ?",
      args: [org.id],
    });
    expect(row.rows[0]).toMatchObject({ state: "completed", response_status: 201, ttl: IDEMPOTENCY_TTL_MS });
  });

  it("an expired record no longer binds the key, and the purge deletes expired records only", async () => {
    const org = await makeOrg("idemexp");
    const achievement = await makeAchievement(org);
    const key = crypto.randomUUID();
    expect((await issue(org, credentialBody(achievement.id, "x@example.edu"), key)).status).toBe(201);
    const db = database(testEnv).$client;
    await db.execute({ sql: "UPDATE idempotency_keys SET expires_at = ? WHERE org_id = ?", args: [Date.now() - 1, org.id] });
    // Expired: the same key with another body is a new request, not a 422.
    const again = await issue(org, credentialBody(achievement.id, "y@example.edu"), key);
    expect(again.status).toBe(201);
    expect(await credentialsOf(org.id)).toBe(2);

    const stale = crypto.randomUUID();
    expect((await issue(org, credentialBody(achievement.id), stale)).status).toBe(201);
    await db.execute({ sql: "UPDATE idempotency_keys SET expires_at = ? WHERE org_id = ? AND key = ?", args: [Date.now() - 1, org.id, stale] });
    expect(await purgeExpiredIdempotencyKeys(database(testEnv))).toBeGreaterThanOrEqual(1);
    expect(await countRows("idempotency_keys", "org_id = ? AND key = ?", [org.id, stale])).toBe(0);
    expect(await countRows("idempotency_keys", "org_id = ? AND key = ?", [org.id, key])).toBe(1);
  });

  it("a claim left in flight (its request lost the database) is taken over once its lease is over, not after 24 h", async () => {
    const org = await makeOrg("idemlease");
    const achievement = await makeAchievement(org);
    const db = database(testEnv);
    const key = crypto.randomUUID();
    const body = credentialBody(achievement.id);
    const fingerprint = "fp";
    expect((await claimIdempotencyKey(db, org.id, key, fingerprint)).kind).toBe("claimed");
    expect((await claimIdempotencyKey(db, org.id, key, fingerprint)).kind).toBe("in_flight");
    // The same claim, older than the lease: the next request takes it over.
    await db.$client.execute({
      sql: "UPDATE idempotency_keys SET created_at = created_at - ? WHERE org_id = ? AND key = ?",
      args: [IDEMPOTENCY_CLAIM_LEASE_MS + 1, org.id, key],
    });
    const res = await issue(org, body, key);
    expect(res.status).toBe(201);
    expect(res.headers.get("idempotency-replayed")).toBeNull();
    expect(await credentialsOf(org.id)).toBe(1);
  });

  it("a request whose claim a retry took over (lease run out) answers 409, not 500; the retry's answer is the one replayed", async () => {
    const org = await makeOrg("idemlost");
    const achievement = await makeAchievement(org);
    const key = crypto.randomUUID();
    const body = credentialBody(achievement.id);
    const held = holdDatabaseAt(testEnv, /INSERT INTO credentials/);
    try {
      const first = call("/v1/credentials", { method: "POST", token: org.apiKey, json: body, headers: { "idempotency-key": key } }, held.env);
      await held.reached;
      // The first attempt's lease runs out while it is held; a retry takes the key over and succeeds.
      await database(testEnv).$client.execute({
        sql: "UPDATE idempotency_keys SET created_at = created_at - ? WHERE org_id = ? AND key = ?",
        args: [IDEMPOTENCY_CLAIM_LEASE_MS + 1, org.id, key],
      });
      const retry = await issue(org, body, key);
      expect(retry.status).toBe(201);

      held.release();
      const late = await first;
      expect(late.status).toBe(409);
      expect((await problem(late)).code).toBe("IDEMPOTENCY_KEY_IN_FLIGHT");
      expect(late.headers.get("retry-after")).toBe("1");
      const replay = await issue(org, body, key);
      expect(replay.headers.get("idempotency-replayed")).toBe("true");
      expect(await replay.text()).toBe(await retry.text());
      expect(await credentialsOf(org.id)).toBe(1);
    } finally {
      held.release();
    }
  });

  it("an answer commits only while its claim is held: released or taken over, the effect rolls back with it", async () => {
    const org = await makeOrg("idemguard");
    const db = database(testEnv);
    const key = crypto.randomUUID();
    const first = await claimIdempotencyKey(db, org.id, key, "fp");
    if (first.kind !== "claimed") throw new Error("expected a claim");
    const late = { orgId: org.id, key, createdAt: first.createdAt };
    // An effect committed in the answer's transaction (a row no other test writes).
    const effect = (id: string) => ({
      sql: "INSERT INTO scan_counts (credential_id, count, updated_at) VALUES (?, 1, ?)",
      args: [id, Date.now()],
    });
    const commit = (id: string, claim: typeof late, body: string) =>
      db.$client.batch([effect(id), completeIdempotencyKeyStatement(claim, { status: 201, body })], "write");
    const effects = (id: string) => countRows("scan_counts", "credential_id = ?", [id]);

    // Released (the request failed): a late commit of that attempt fails and its effect is undone.
    await releaseIdempotencyKey(db, org.id, key, late.createdAt);
    const afterRelease = `guard-${crypto.randomUUID()}`;
    await expect(commit(afterRelease, late, "{}")).rejects.toThrow();
    expect(await effects(afterRelease)).toBe(0);

    // Taken over by a retry: the first attempt's late commit still fails; the retry's commits.
    const second = await claimIdempotencyKey(db, org.id, key, "fp");
    if (second.kind !== "claimed") throw new Error("expected the released key to be claimed again");
    const afterTakeover = `guard-${crypto.randomUUID()}`;
    await expect(commit(afterTakeover, late, "{}")).rejects.toThrow();
    expect(await effects(afterTakeover)).toBe(0);
    const current = { ...late, createdAt: second.createdAt };
    const mine = `guard-${crypto.randomUUID()}`;
    const [, done] = await commit(mine, current, '{"ok":1}');
    expect(done?.rowsAffected).toBe(1);
    expect(await effects(mine)).toBe(1);
    expect(await claimIdempotencyKey(db, org.id, key, "fp")).toEqual({ kind: "completed", status: 201, body: '{"ok":1}' });
  });

  it("other routes are unaffected by Idempotency-Key (achievements): no replay, no 422, no record", async () => {
    const org = await makeOrg("idemnone");
    const key = crypto.randomUUID();
    const create = (name: string) =>
      call("/v1/achievements", {
        method: "POST",
        token: org.apiKey,
        json: { name, description: "d", criteria: { narrative: "c" } },
        headers: { "idempotency-key": key },
      });
    const ids: string[] = [];
    for (const name of ["same", "same", "different"]) {
      const res = await create(name);
      expect(res.status).toBe(201);
      expect(res.headers.get("idempotency-replayed")).toBeNull();
      ids.push(((await res.json()) as { id: string }).id);
    }
    expect(new Set(ids).size).toBe(3);
    expect(await countRows("achievements", "org_id = ?", [org.id])).toBe(3);
    expect(await countRows("idempotency_keys", "org_id = ?", [org.id])).toBe(0);
  });
});

describe("parseIdempotencyKey", () => {
  it("accepts sf-strings and bare tokens, rejects empty, long and non-visible values", () => {
    expect(parseIdempotencyKey(undefined)).toBeNull();
    expect(parseIdempotencyKey('"8e03978e-40d5-43e8-bc93-6894a57f9324"')).toBe("8e03978e-40d5-43e8-bc93-6894a57f9324");
    expect(parseIdempotencyKey("abc")).toBe("abc");
    expect(parseIdempotencyKey('""')).toBe("invalid");
    expect(parseIdempotencyKey("a b")).toBe("invalid");
    expect(parseIdempotencyKey("é")).toBe("invalid");
  });
});
