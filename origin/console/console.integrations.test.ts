// Console LMS integration pages: connect (the API's rules, errors next to their fields, the token
// write-only), sync now through the real consumer against the fake LMS (progress, counts, errors),
// edit keeping the token, roles (viewers read, issuers sync, owners and admins manage), another
// org's ids (404), delete behind a confirmation.
import { beforeAll, describe, expect, it } from "vitest";
import { database } from "../db/client.ts";
import { countRows, makeAchievement, testEnv } from "../test/api.ts";
import { invitedClient, ownerClient, type ConsoleClient, type OrgWithOwner } from "../test/console.ts";
import { fakeCourse, lmsEnv, runQueuedSteps, type FakeScenario } from "../test/integrations.ts";

let org: OrgWithOwner;
let owner: ConsoleClient;
let achievementId: string;
let course: FakeScenario;
let path = "";
const env = lmsEnv();

const tokenSealed = async (id: string) =>
  String((await database(testEnv).$client.execute({ sql: "SELECT token_encrypted FROM integrations WHERE id = ?", args: [id] })).rows[0]!.token_encrypted);

beforeAll(async () => {
  ({ org, owner } = await ownerClient("lms"));
  owner.env = env;
  achievementId = (await makeAchievement(org)).id;
  course = await fakeCourse({ kind: "canvas", learnerCount: 5, noEmail: [1002] });
}, 60_000);

describe("console LMS integrations", () => {
  it("shows each refused field next to it, then connects the course without ever showing the token", async () => {
    const { org: other } = await ownerClient("lms-other");
    const foreign = (await makeAchievement(other)).id;
    await owner.get("/console/integrations");
    expect(owner.lastBody).toContain("No LMS is connected.");
    const bad = await owner.post("/console/integrations", {
      kind: "canvas", name: "CS101", baseUrl: "http://10.0.0.1/", token: "", courseId: "bad id!", achievementId: foreign, schedule: "weekly", requestsPerSecond: "500",
    });
    expect(bad.status).toBe(400);
    for (const f of ["baseUrl", "token", "courseId", "achievementId", "schedule", "requestsPerSecond"]) expect(owner.lastBody).toContain(`id="f-${f}-error"`);
    expect(await countRows("integrations", "org_id = ?", [org.id])).toBe(0);
    const made = await owner.post("/console/integrations", {
      kind: "canvas", name: "CS101 Fall", baseUrl: course.baseUrl, token: "fake-token", courseId: "101", achievementId, schedule: "", requestsPerSecond: "50", maxConcurrency: "4",
    });
    expect(made.status).toBe(303);
    path = made.headers.get("location")!.replace(/\?.*$/, "");
    expect(path).toMatch(/^\/console\/integrations\/[0-9a-f-]{36}$/);
    await owner.get(made.headers.get("location")!);
    expect(owner.lastBody).toContain("The course is connected.");
    expect(owner.lastBody).not.toContain("fake-token");
  }, 30_000); // a second org's owner signs up (PBKDF2)

  it("syncs now through the real consumer and shows the counts and each learner's problem", async () => {
    await owner.get(path);
    const started = await owner.post(`${path}/sync`);
    expect(started.status).toBe(303);
    expect(started.headers.get("location")).toMatch(new RegExp(`^${path}\\?done=sync#sync-[0-9a-f-]{36}$`));
    await owner.get(path);
    expect(owner.lastBody).toContain("Queued");
    await runQueuedSteps(env);
    await owner.get(path);
    expect(owner.lastBody).toContain("Completed with errors");
    expect(owner.lastBody).toMatch(/\d+ learners seen, \d+ completions, 4 issued, 0 already issued, 1 errors\./);
    expect(owner.lastBody).toMatch(/<tr><td>1002<\/td><td>NO_EMAIL: /);
  });

  it("edits the settings and keeps the token when its field is left empty", async () => {
    const id = path.split("/").pop()!;
    const before = await tokenSealed(id);
    await owner.get(path);
    const saved = await owner.post(path, { name: "CS101 Fall 2026", baseUrl: course.baseUrl, token: "", courseId: "101", achievementId, schedule: "hourly", requestsPerSecond: "", maxConcurrency: "" });
    expect(saved.headers.get("location")).toBe(`${path}?done=saved`);
    expect(await tokenSealed(id)).toBe(before);
    await owner.get(path);
    expect(owner.lastBody).toContain("<h1>CS101 Fall 2026</h1>");
    expect(owner.lastBody).toMatch(/<dd>hourly, next /);
    await owner.post(path, { name: "CS101 Fall 2026", baseUrl: course.baseUrl, token: "a new token", courseId: "101", achievementId, schedule: "" });
    expect(await tokenSealed(id)).not.toBe(before);
  });

  it("lets viewers read, issuers sync, and only owners and admins change; another org's ids answer 404", async () => {
    const { client: viewer } = await invitedClient(owner, "viewer");
    const { client: issuer } = await invitedClient(owner, "issuer");
    viewer.env = issuer.env = env;
    expect((await viewer.get("/console/integrations")).status).toBe(200);
    expect(viewer.lastBody).not.toContain("Connect a course");
    expect((await viewer.get(path)).status).toBe(200);
    expect(viewer.lastBody).not.toContain("Sync now");
    expect((await viewer.post(`${path}/sync`)).status).toBe(403);
    expect((await issuer.get(path)).status).toBe(200);
    expect((await issuer.post(`${path}/sync`)).status).toBe(303);
    expect((await issuer.post(path, { name: "Renamed" })).status).toBe(403);
    expect((await issuer.post(`${path}/delete`)).status).toBe(403);
    env.INTEGRATIONS.take();
    const { owner: stranger } = await ownerClient("lms-stranger");
    stranger.env = env;
    expect((await stranger.get(path)).status).toBe(404);
    await stranger.get("/console");
    for (const action of ["", "/sync", "/delete"]) expect((await stranger.post(`${path}${action}`, { name: "Mine now" })).status).toBe(404);
    expect(env.INTEGRATIONS.take()).toEqual([]);
  }, 60_000); // three sign-ups (PBKDF2)

  it("deletes behind a confirmation page", async () => {
    expect((await owner.get(`${path}/delete`)).status).toBe(200);
    expect((await owner.post(`${path}/delete`)).headers.get("location")).toBe("/console/integrations?done=deleted");
    expect(await countRows("integrations", "org_id = ?", [org.id])).toBe(0);
    await owner.get("/console/settings/audit");
    for (const action of ["integration.create", "integration.sync", "integration.update", "integration.delete"]) expect(owner.lastBody).toContain(action);
  });
});
