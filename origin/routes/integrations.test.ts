// LMS integration routes: configuration with the token sealed and never answered, validation and
// the SSRF guard on baseUrl naming the field, scopes (manage to configure, issue to sync, read to
// look), tenant isolation, and the scheduled start of due syncs.
import { describe, expect, it } from "vitest";
import { createLogger } from "../../shared/observability/logger.ts";
import { parseTraceparent } from "../../shared/observability/trace-context.ts";
import type { IntegrationSyncJob } from "../queues/integrations.ts";
import { database } from "../db/client.ts";
import { redriveStalledSyncs, STALLED_AFTER_MS, startDueSyncs } from "../services/integrations/scheduled.ts";
import { call, makeAchievement, makeOrg, problem, testEnv, type TestOrg } from "../test/api.ts";
import { connect, createIntegrationCall, fakeCourse, lmsEnv } from "../test/integrations.ts";

const SECRET_TOKEN = "canvas-token-that-must-never-be-answered";

async function keyWith(org: TestOrg, scopes: string[]): Promise<string> {
  const res = await call("/v1/api-keys", { method: "POST", token: org.apiKey, json: { name: "scoped", scopes } });
  return ((await res.json()) as { apiKey: string }).apiKey;
}

function body(achievementId: string, extra: Record<string, unknown> = {}) {
  return { kind: "canvas", name: "CS101", baseUrl: "https://canvas.example.edu", token: SECRET_TOKEN, courseId: "4711", achievementId, ...extra };
}

describe("LMS integration routes", () => {
  it("creates, reads, lists, patches and deletes an integration; the token is sealed at rest and never answered", async () => {
    const e = lmsEnv();
    const org = await makeOrg("lms-crud");
    const achievement = await makeAchievement(org);
    const created = await createIntegrationCall(e, org, body(achievement.id, { schedule: "every 15 minutes" }));
    expect(created.status).toBe(201);
    const text = await created.text();
    expect(text).not.toContain(SECRET_TOKEN);
    const integration = JSON.parse(text) as { id: string; schedule: string; nextSyncAt: string; lastSync: unknown; requestsPerSecond: number };
    expect(integration).toMatchObject({ schedule: "every 15 minutes", lastSync: null, requestsPerSecond: 5 });
    expect(Date.parse(integration.nextSyncAt) - Date.now()).toBeGreaterThan(14 * 60_000);

    const stored = await database(testEnv).$client.execute({ sql: "SELECT token_encrypted FROM integrations WHERE id = ?", args: [integration.id] });
    expect(String(stored.rows[0]!.token_encrypted)).toMatch(/^v1\./);
    expect(String(stored.rows[0]!.token_encrypted)).not.toContain(SECRET_TOKEN);

    const got = await call(`/v1/integrations/${integration.id}`, { token: org.apiKey }, e);
    expect(got.status).toBe(200);
    const listed = await call("/v1/integrations", { token: org.apiKey }, e);
    const listText = await listed.text();
    expect(listText).not.toContain(SECRET_TOKEN);
    expect((JSON.parse(listText) as { data: { id: string }[] }).data.map((i) => i.id)).toEqual([integration.id]);

    const patched = await call(`/v1/integrations/${integration.id}`, { method: "PATCH", token: org.apiKey, json: { name: "CS102", schedule: null, token: "new-secret-token" } }, e);
    expect(patched.status).toBe(200);
    const patchedText = await patched.text();
    expect(patchedText).not.toContain("new-secret-token");
    expect(JSON.parse(patchedText)).toMatchObject({ name: "CS102", schedule: null, nextSyncAt: null, courseId: "4711" });

    expect((await call(`/v1/integrations/${integration.id}`, { method: "DELETE", token: org.apiKey }, e)).status).toBe(204);
    expect((await call(`/v1/integrations/${integration.id}`, { token: org.apiKey }, e)).status).toBe(404);
  });

  it("refuses a baseUrl the SSRF guard forbids with 422 URL_NOT_ALLOWED naming baseUrl (loopback only with the local-development setting)", async () => {
    const org = await makeOrg("lms-ssrf");
    const achievement = await makeAchievement(org);
    for (const baseUrl of ["http://169.254.169.254/latest", "https://10.0.0.8/", "https://localhost/", "http://127.0.0.1:9999/"]) {
      const res = await createIntegrationCall({ ...lmsEnv(), ALLOW_LOCAL_HTTP_TARGETS: "false" }, org, body(achievement.id, { baseUrl }));
      expect(res.status).toBe(422);
      const p = await problem(res);
      expect(p.code).toBe("URL_NOT_ALLOWED");
      expect(p.errors).toEqual([expect.objectContaining({ field: "baseUrl", rule: "public_https_url" })]);
    }
    expect((await createIntegrationCall(lmsEnv(), org, body(achievement.id, { baseUrl: "http://127.0.0.1:9999/" }))).status).toBe(201);
    const created = (await (await createIntegrationCall(lmsEnv(), org, body(achievement.id))).json()) as { id: string };
    const patch = await call(`/v1/integrations/${created.id}`, { method: "PATCH", token: org.apiKey, json: { baseUrl: "https://192.168.1.1/" } }, lmsEnv());
    expect(patch.status).toBe(422);
    expect((await problem(patch)).errors?.[0]?.field).toBe("baseUrl");
  });

  it("validates the body naming each field and rule, never a 500", async () => {
    const e = lmsEnv();
    const org = await makeOrg("lms-validate");
    const achievement = await makeAchievement(org);
    const cases: [Record<string, unknown>, string][] = [
      [{ kind: "blackboard" }, "kind"],
      [{ schedule: "every 2 minutes" }, "schedule"],
      [{ schedule: "weekly" }, "schedule"],
      [{ courseId: "../../admin" }, "courseId"],
      [{ kind: "moodle", courseId: "CS101" }, "courseId"],
      [{ token: "" }, "token"],
      [{ requestsPerSecond: 0 }, "requestsPerSecond"],
      [{ baseUrl: 42 }, "baseUrl"],
    ];
    for (const [change, field] of cases) {
      const res = await createIntegrationCall(e, org, body(achievement.id, change));
      expect(res.status, JSON.stringify(change)).toBe(400);
      expect((await problem(res)).errors?.map((x) => x.field)).toContain(field);
    }
    const unknownAchievement = await createIntegrationCall(e, org, body(crypto.randomUUID()));
    expect(unknownAchievement.status).toBe(404);
    expect((await problem(unknownAchievement)).code).toBe("ACHIEVEMENT_NOT_FOUND");
  });

  it("checks a patch against the integration's kind and the org's achievements", async () => {
    const e = lmsEnv();
    const org = await makeOrg("lms-validate-patch");
    const achievement = await makeAchievement(org);
    const moodle = (await (await createIntegrationCall(e, org, body(achievement.id, { kind: "moodle", courseId: "42" }))).json()) as { id: string };
    const patch = (json: Record<string, unknown>) => call(`/v1/integrations/${moodle.id}`, { method: "PATCH", token: org.apiKey, json }, e);
    const notANumber = await patch({ courseId: "CS101" });
    expect(notANumber.status).toBe(400);
    expect((await problem(notANumber)).errors).toEqual([expect.objectContaining({ field: "courseId", detail: "must be a number for Moodle" })]);
    const unknownAchievement = await patch({ achievementId: crypto.randomUUID() });
    expect(unknownAchievement.status).toBe(404);
    expect((await problem(unknownAchievement)).code).toBe("ACHIEVEMENT_NOT_FOUND");
    const renumbered = await patch({ courseId: "43" });
    expect(renumbered.status).toBe(200);
    expect(((await renumbered.json()) as { courseId: string }).courseId).toBe("43");
  });

  it("scopes: manage configures, issue starts a sync, read looks; others get 403 naming the scope", async () => {
    const e = lmsEnv();
    const org = await makeOrg("lms-scopes");
    const achievement = await makeAchievement(org);
    const issueKey = await keyWith(org, ["issue"]);
    const manageKey = await keyWith(org, ["manage"]);
    const readKey = await keyWith(org, ["read"]);
    const denied = await createIntegrationCall(e, org, body(achievement.id), issueKey);
    expect(denied.status).toBe(403);
    expect((await problem(denied)).detail).toContain('"manage"');
    const created = await createIntegrationCall(e, org, body(achievement.id), manageKey);
    expect(created.status).toBe(201);
    const { id } = (await created.json()) as { id: string };
    expect((await call(`/v1/integrations/${id}/sync`, { method: "POST", token: manageKey }, e)).status).toBe(403);
    expect((await call(`/v1/integrations/${id}/sync`, { method: "POST", token: readKey }, e)).status).toBe(403);
    const started = await call(`/v1/integrations/${id}/sync`, { method: "POST", token: issueKey }, e);
    expect(started.status).toBe(202);
    const { syncId } = (await started.json()) as { syncId: string };
    expect(e.INTEGRATIONS.take()).toEqual([expect.objectContaining({ type: "integration.sync", syncId, step: 0 })]);
    expect((await call(`/v1/integrations/${id}/syncs/${syncId}`, { token: readKey }, e)).status).toBe(200);
    expect((await call(`/v1/integrations/${id}`, { method: "PATCH", token: issueKey, json: { name: "x" } }, e)).status).toBe(403);
    expect((await call(`/v1/integrations/${id}`, { method: "DELETE", token: readKey }, e)).status).toBe(403);
  });

  it("another org's integration and sync ids answer 404 on every route", async () => {
    const e = lmsEnv();
    const owner = await makeOrg("lms-owner");
    const other = await makeOrg("lms-other");
    const achievement = await makeAchievement(owner);
    const { id } = (await (await createIntegrationCall(e, owner, body(achievement.id))).json()) as { id: string };
    const { syncId } = (await (await call(`/v1/integrations/${id}/sync`, { method: "POST", token: owner.apiKey }, e)).json()) as { syncId: string };
    const attempts: [string, RequestInit & { json?: unknown }][] = [
      [`/v1/integrations/${id}`, {}],
      [`/v1/integrations/${id}`, { method: "PATCH", json: { name: "stolen" } }],
      [`/v1/integrations/${id}`, { method: "DELETE" }],
      [`/v1/integrations/${id}/sync`, { method: "POST" }],
      [`/v1/integrations/${id}/syncs`, {}],
      [`/v1/integrations/${id}/syncs/${syncId}`, {}],
    ];
    for (const [path, init] of attempts) {
      const res = await call(path, { ...init, token: other.apiKey }, e);
      expect(res.status, `${init.method ?? "GET"} ${path}`).toBe(404);
    }
    // Another org's achievement cannot be the integration's either.
    const foreign = await createIntegrationCall(e, other, body(achievement.id));
    expect(foreign.status).toBe(404);
    expect((await call("/v1/integrations", { token: other.apiKey }, e)).status).toBe(200);
    expect((await call(`/v1/integrations/${id}`, { token: owner.apiKey }, e)).status).toBe(200);
  });

  it("the cron starts a sync of each integration whose schedule is due, never a second while one is queued", async () => {
    const e = lmsEnv();
    const org = await makeOrg("lms-cron");
    const achievement = await makeAchievement(org);
    const course = await fakeCourse({ kind: "canvas", learnerCount: 1 });
    const id = await connect(e, org, achievement.id, course, "canvas", { schedule: "hourly" });
    const log = createLogger({ service: "origin", requestId: "test" });
    const db = database(testEnv);
    const due = async () => {
      await db.$client.execute({ sql: "UPDATE integrations SET next_sync_at = ? WHERE id = ?", args: [Date.now() - 1000, id] });
      return startDueSyncs(e, log);
    };
    await due();
    const sent = e.INTEGRATIONS.take();
    expect(sent.filter((j) => j.step === 0)).toHaveLength(1);
    const first = (await db.$client.execute({ sql: "SELECT id, trigger FROM integration_syncs WHERE integration_id = ?", args: [id] })).rows;
    expect(first).toEqual([expect.objectContaining({ trigger: "schedule" })]);
    // Due again while that sync is still queued: none started, and the schedule moves on.
    await due();
    expect(e.INTEGRATIONS.take()).toEqual([]);
    const got = (await (await call(`/v1/integrations/${id}`, { token: org.apiKey }, e)).json()) as { nextSyncAt: string; lastSync: { status: string; trigger: string } };
    expect(Date.parse(got.nextSyncAt)).toBeGreaterThan(Date.now() + 59 * 60_000);
    expect(got.lastSync).toMatchObject({ status: "queued", trigger: "schedule" });
  });

  it("the cron re-sends the current step of a sync that made no progress (a lost message), and only of that one", async () => {
    const e = lmsEnv();
    const org = await makeOrg("lms-redrive");
    const achievement = await makeAchievement(org);
    const course = await fakeCourse({ kind: "canvas", learnerCount: 1 });
    const id = await connect(e, org, achievement.id, course, "canvas");
    const lost = (await (await call(`/v1/integrations/${id}/sync`, { method: "POST", token: org.apiKey }, e)).json()) as { syncId: string };
    const fresh = (await (await call(`/v1/integrations/${id}/sync`, { method: "POST", token: org.apiKey }, e)).json()) as { syncId: string };
    e.INTEGRATIONS.take(); // both first steps "lost"
    const db = database(testEnv);
    await db.$client.execute({ sql: "UPDATE integration_syncs SET updated_at = ?, step = 3 WHERE id = ?", args: [Date.now() - STALLED_AFTER_MS - 1000, lost.syncId] });
    await redriveStalledSyncs(e, createLogger({ service: "origin", requestId: "test" }));
    const sent = e.INTEGRATIONS.take().filter((j) => j.syncId === lost.syncId || j.syncId === fresh.syncId);
    expect(sent).toEqual([expect.objectContaining({ syncId: lost.syncId, step: 3 })]);
  });

  it("a re-sent step continues the trace of the request that started the sync and carries its request id", async () => {
    const e = lmsEnv();
    const org = await makeOrg("lms-redrive-trace");
    const achievement = await makeAchievement(org);
    const course = await fakeCourse({ kind: "canvas", learnerCount: 1 });
    const id = await connect(e, org, achievement.id, course, "canvas");
    const traceId = "5bf92f3577b34da6a3ce929d0e0e4736";
    const requestId = `sync-${crypto.randomUUID()}`;
    const started = await call(`/v1/integrations/${id}/sync`, { method: "POST", token: org.apiKey, headers: { traceparent: `00-${traceId}-00f067aa0ba902b7-01`, "x-request-id": requestId } }, e);
    const { syncId } = (await started.json()) as { syncId: string };
    e.INTEGRATIONS.take(); // the first step "lost"
    await database(testEnv).$client.execute({ sql: "UPDATE integration_syncs SET updated_at = ? WHERE id = ?", args: [Date.now() - STALLED_AFTER_MS - 1000, syncId] });
    await redriveStalledSyncs(e, createLogger({ service: "origin", requestId: "cron" }));
    const [step] = e.INTEGRATIONS.take().filter((j) => j.syncId === syncId) as (IntegrationSyncJob & { trace?: { traceparent: string } })[];
    expect(step).toMatchObject({ step: 0, requestId });
    expect(parseTraceparent(step!.trace?.traceparent)?.traceId).toBe(traceId);
  });
});
