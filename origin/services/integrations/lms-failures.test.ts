// A broken, slow or hostile LMS: rate limiting is waited out, answers that will never do end the
// sync `failed` with the reason, malformed records are reported with the record, and an LMS that
// never answers holds up neither the API nor issuance.
import { describe, expect, it } from "vitest";
import { countRows, credentialBody, issue, makeAchievement, makeOrg } from "../../test/api.ts";
import { connect, deliverSteps, fakeCourse, lmsEnv, runQueuedSteps, syncNow } from "../../test/integrations.ts";
import { call } from "../../test/api.ts";
import { LMS_REQUEST_TIMEOUT_MS } from "./lms-http.ts";

async function setup(prefix: string, course: Record<string, unknown>, extra: Record<string, unknown> = {}) {
  const e = lmsEnv();
  const org = await makeOrg(prefix);
  const achievement = await makeAchievement(org);
  const fake = await fakeCourse(course);
  const id = await connect(e, org, achievement.id, fake, (course.kind as "canvas" | "moodle") ?? "canvas", extra);
  return { e, org, achievement, fake, id };
}

describe("LMS failures", { timeout: 240_000 }, () => {
  it("429 with Retry-After on the first requests: the step is retried after that delay and the sync completes", async () => {
    const { e, org, id, fake } = await setup("throttled", { kind: "moodle", learnerCount: 5, throttleFirst: 3, retryAfterSeconds: 7 });
    const started = await call(`/v1/integrations/${id}/sync`, { method: "POST", token: org.apiKey }, e);
    const { syncId } = (await started.json()) as { syncId: string };
    const delays = await runQueuedSteps(e);
    expect(delays).toEqual([7, 7, 7]);
    const res = await call(`/v1/integrations/${id}/syncs/${syncId}`, { token: org.apiKey }, e);
    expect(await res.json()).toMatchObject({ status: "completed", credentialsIssued: 5, errorCount: 0 });
    expect(await fake.requestCount()).toBe(3 + 1 + 5);
  });

  it("the integration's request rate holds within a step and across two overlapping syncs", async () => {
    const { e, org, id } = await setup("paced", { kind: "moodle", learnerCount: 4 }, { requestsPerSecond: 5, maxConcurrency: 4 });
    const course = (await (await call(`/v1/integrations/${id}`, { token: org.apiKey }, e)).json()) as { baseUrl: string };
    for (let i = 0; i < 2; i++) expect((await call(`/v1/integrations/${id}/sync`, { method: "POST", token: org.apiKey }, e)).status).toBe(202);
    await runQueuedSteps(e);
    const scenario = course.baseUrl.split("/s/")[1];
    const { times } = (await (await fetch(`${course.baseUrl.split("/s/")[0]}/__scenarios/${scenario}/requests`)).json()) as { times: number[] };
    expect(times).toHaveLength(10); // per sync: the user list and 4 completion calls
    // 5 per second: starts 200 ms apart, so 10 requests span at least 1.8 s (each sync's own pace
    // alone would let the two together make 10 per second: about 0.9 s). Only this lower bound is
    // checked: a loaded machine delays requests (longer spans, arrivals bunched in transit), it
    // never makes them start early.
    expect(times.at(-1)! - times[0]!).toBeGreaterThanOrEqual(1700);
  });

  it("an LMS that keeps answering 5xx ends the sync failed after the documented attempts", async () => {
    const { e, org, id } = await setup("broken", { kind: "canvas", learnerCount: 5, mode: "error500" });
    const sync = await syncNow(e, org, id);
    expect(sync.status).toBe("failed");
    expect(sync.failureReason).toMatch(/^gave up after 6 attempts: Canvas users page 1: the LMS answered 500/);
  });

  it.each([
    ["a bad token (401)", { token: "other" }, /the LMS refused the token \(401\): Invalid access token\./],
    ["an HTML error page", { mode: "html" }, /answered an HTML page, not JSON/],
    ["a truncated JSON body", { mode: "truncated" }, /not JSON \(truncated\?\)/],
    ["a redirect to a login page", { mode: "redirect" }, /answered 302, a redirect \(to http:\/\/127\.0\.0\.1:\d+\/s\/c\d+\/login\/index\.php; a login page\?\)/],
  ])("Canvas: %s fails the sync with the reason, issuing nothing", async (_name, change, reason) => {
    const { e, org, id } = await setup("bad-answer", { kind: "canvas", learnerCount: 3, ...change });
    const sync = await syncNow(e, org, id);
    expect(sync.status).toBe("failed");
    expect(sync.failureReason).toMatch(reason);
    expect(sync.failureReason).not.toContain("session=expired");
    expect(await countRows("credentials", "org_id = ?", [org.id])).toBe(0);
  });

  it("Canvas: a next-page link to another host is not followed (the page read is issued, the sync fails)", async () => {
    const { e, org, id, fake } = await setup("foreign", { kind: "canvas", learnerCount: 150, mode: "foreign-next" });
    const sync = await syncNow(e, org, id);
    expect(sync.status).toBe("failed");
    expect(sync.failureReason).toContain("the next page link points to another host (localhost:");
    expect(await fake.requestCount()).toBe(1);
  });

  it("malformed user records are reported with the record; the others are issued", async () => {
    const { e, org, id } = await setup("malformed", { kind: "canvas", learnerCount: 4, malformed: [1002] });
    const sync = await syncNow(e, org, id);
    expect(sync).toMatchObject({ status: "completed_with_errors", credentialsIssued: 3, errorCount: 1 });
    expect(sync.errors[0]).toMatchObject({ code: "MALFORMED_RECORD", record: expect.stringContaining('"id":"1002x"') });
    expect(sync.errors[0]!.detail).toMatch(/^Canvas user record: (id|name): /);
  });

  it("an LMS that never answers leaves issuance through the API unaffected; its step is retried later", async () => {
    const { e, org, achievement, id } = await setup("hang", { kind: "canvas", learnerCount: 3, mode: "hang" });
    await call(`/v1/integrations/${id}/sync`, { method: "POST", token: org.apiKey }, e);
    const [job] = e.INTEGRATIONS.take();
    // The step waits on the LMS (up to its request deadline) while the API issues.
    const step = deliverSteps(e, [job!]);
    const res = await issue(org, credentialBody(achievement.id));
    expect(res.status).toBe(201);
    const retried = await step;
    expect(retried).toHaveLength(1);
    expect(retried[0]!.delaySeconds).toBe(30);
    const sync = await call(`/v1/integrations/${id}/syncs`, { token: org.apiKey }, e);
    expect(((await sync.json()) as { data: { status: string }[] }).data[0]!.status).toBe("queued");
  }, LMS_REQUEST_TIMEOUT_MS * 3);
});
