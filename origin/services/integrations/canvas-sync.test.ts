// A Canvas course synced end to end against the fake Canvas server (local/fake-lms), through the
// API, the laurel-integrations consumer and the real issuance path and database.
import { describe, expect, it } from "vitest";
import { database } from "../../db/client.ts";
import { countRows, makeAchievement, makeOrg, sentJobs, testEnv } from "../../test/api.ts";
import { connect, fakeCourse, getSync, lmsEnv, runQueuedSteps, syncNow } from "../../test/integrations.ts";
import { call } from "../../test/api.ts";

describe("Canvas sync", { timeout: 240_000 }, () => {
  it("issues 249 of 250 completed learners over 3 pages, reports the one without an address, never issues twice, and issues a later completion", async () => {
    const e = lmsEnv();
    const org = await makeOrg("canvas");
    const achievement = await makeAchievement(org);
    // 250 learners, 100 per page: 3 pages. 1042 has neither email nor an email-shaped login; 1077's
    // address is only its login_id (the documented fallback).
    const course = await fakeCourse({ kind: "canvas", learnerCount: 250, noEmail: [1042], loginEmail: [1077] });
    const id = await connect(e, org, achievement.id, course, "canvas");

    const first = await syncNow(e, org, id);
    expect(first).toMatchObject({ status: "completed_with_errors", completionsSeen: 250, credentialsIssued: 249, skipped: 0, errorCount: 1 });
    expect(first.errors).toEqual([expect.objectContaining({ lmsUserId: "1042", code: "NO_EMAIL" })]);
    expect(first.errors[0]!.record).toContain('"login_id":"learner1042"');
    expect(await countRows("credentials", "org_id = ?", [org.id])).toBe(249);
    expect(await countRows("credentials", "org_id = ? AND recipient_email = ?", [org.id, "learner1077@example.edu"])).toBe(1);
    // Three pages of 100 were asked for, and every issued credential is published like any other.
    expect(await course.requestCount()).toBe(3);
    const ids = (await database(testEnv).$client.execute({ sql: "SELECT id FROM credentials WHERE org_id = ?", args: [org.id] })).rows.map((r) => r.id);
    const published = new Set(sentJobs.flatMap((j) => (j.type === "credential.publish" ? [j.credentialId] : [])));
    expect(ids.filter((i) => !published.has(String(i)))).toEqual([]);

    const second = await syncNow(e, org, id);
    expect(second).toMatchObject({ status: "completed_with_errors", completionsSeen: 250, credentialsIssued: 0, skipped: 249, errorCount: 1 });
    expect(await countRows("credentials", "org_id = ?", [org.id])).toBe(249);

    await course.change({ addLearners: 1 });
    const third = await syncNow(e, org, id);
    expect(third).toMatchObject({ completionsSeen: 251, credentialsIssued: 1, skipped: 249 });
    expect(await countRows("credentials", "org_id = ? AND recipient_email = ?", [org.id, "learner1251@example.edu"])).toBe(1);

    // The history lists the three syncs, newest first, each with its counts.
    const history = await call(`/v1/integrations/${id}/syncs`, { token: org.apiKey }, e);
    const page = (await history.json()) as { data: { id: string; credentialsIssued: number; errorCount: number; errors: unknown[] }[] };
    expect(page.data.map((s) => s.credentialsIssued)).toEqual([1, 0, 249]);
    expect(page.data.map((s) => s.errorCount)).toEqual([1, 1, 1]);
    expect(page.data[2]!.errors).toHaveLength(1);
  });

  it("two overlapping syncs of one course issue each learner once", async () => {
    const e = lmsEnv();
    const org = await makeOrg("overlap");
    const achievement = await makeAchievement(org);
    const course = await fakeCourse({ kind: "canvas", learnerCount: 60 });
    const id = await connect(e, org, achievement.id, course, "canvas");
    const a = await call(`/v1/integrations/${id}/sync`, { method: "POST", token: org.apiKey }, e);
    const b = await call(`/v1/integrations/${id}/sync`, { method: "POST", token: org.apiKey }, e);
    expect([a.status, b.status]).toEqual([202, 202]);
    // Both syncs' steps are delivered together, so their issue steps run side by side.
    await runQueuedSteps(e);
    const [syncA, syncB] = await Promise.all([a.json(), b.json()]) as { syncId: string }[];
    const ra = await getSync(e, org, id, syncA!.syncId);
    const rb = await getSync(e, org, id, syncB!.syncId);
    expect(ra.credentialsIssued + rb.credentialsIssued).toBe(60);
    expect(ra.credentialsIssued + ra.skipped).toBe(60);
    expect(rb.credentialsIssued + rb.skipped).toBe(60);
    expect(await countRows("credentials", "org_id = ?", [org.id])).toBe(60);
  });
});
