// The console overview: the last 30 days as a chart with its table, the failure list, which names
// only this org's failures and links each to where it is fixed, and the recent batches and syncs.
import { beforeAll, describe, expect, it } from "vitest";
import { database } from "../db/client.ts";
import { credentialBody, issue, makeAchievement, testEnv } from "../test/api.ts";
import { ownerClient, type ConsoleClient, type OrgWithOwner } from "../test/console.ts";
import { axisTop, seriesPoints } from "./pages/overview-chart.ts";

let org: OrgWithOwner;
let owner: ConsoleClient;
let other: OrgWithOwner;
let credentialId: string;
let myAchievement: string;
let theirAchievement: string;

const exec = (sql: string, args: (string | number)[]) => database(testEnv).$client.execute({ sql, args });

/** One failure of each kind for `target`, labelled so the page can be searched for it. */
async function seedFailures(target: OrgWithOwner, label: string, credential: string, achievementId: string): Promise<void> {
  const now = Date.now();
  const endpointId = crypto.randomUUID();
  await exec(`INSERT INTO webhook_endpoints (id, org_id, url, events, secret_encrypted) VALUES (?, ?, ?, '["credential.issued"]', 'x')`, [
    endpointId, target.id, `https://hooks.example.edu/${label}`,
  ]);
  const eventId = `msg_${crypto.randomUUID().replaceAll("-", "")}`;
  await exec(`INSERT INTO webhook_events (id, org_id, type, dedupe_key, data, created_at) VALUES (?, ?, 'credential.issued', ?, '{}', ?)`, [eventId, target.id, `t:${eventId}`, now]);
  await exec(`INSERT INTO webhook_deliveries (id, event_id, endpoint_id, org_id, state, attempts, created_at) VALUES (?, ?, ?, ?, 'dead', 8, ?)`, [
    crypto.randomUUID(), eventId, endpointId, target.id, now,
  ]);
  const integrationId = crypto.randomUUID();
  await exec(`INSERT INTO integrations (id, org_id, kind, name, base_url, token_encrypted, course_id, achievement_id) VALUES (?, ?, 'canvas', ?, 'https://lms.example.edu', 'x', '1', ?)`, [
    integrationId, target.id, `Course ${label}`, achievementId,
  ]);
  await exec(`INSERT INTO integration_syncs (id, integration_id, org_id, trigger, status, failure_reason) VALUES (?, ?, ?, 'api', 'failed', ?)`, [
    crypto.randomUUID(), integrationId, target.id, `LMS said no ${label}`,
  ]);
  // Issuance wrote the credential's notification row: it bounces.
  await exec(`INSERT INTO notifications (credential_id, kind, org_id, status, due_at, last_error) VALUES (?, 'issued', ?, 'bounced', ?, ?)
              ON CONFLICT DO UPDATE SET status = 'bounced', last_error = excluded.last_error`, [credential, target.id, now, `mailbox full ${label}`]);
  await exec(`INSERT INTO dead_letters (message_id, queue, job_type, body, attempts) VALUES (?, 'laurel-jobs', 'credential.publish', ?, 5)`, [
    `dl-${crypto.randomUUID()}`, JSON.stringify({ type: "credential.publish", credentialId: credential, requestId: label }),
  ]);
  await exec(`INSERT INTO dead_letters (message_id, queue, job_type, body, attempts) VALUES (?, 'laurel-jobs', 'not json', 'not json {', 5)`, [`dl-${crypto.randomUUID()}`]);
}

/** A batch of `states.length` rows in these states, created `ageMs` ago; returns its id. */
async function seedBatch(target: OrgWithOwner, achievementId: string, states: string[], ageMs: number): Promise<string> {
  const id = crypto.randomUUID();
  await exec(`INSERT INTO batches (id, org_id, achievement_id, status, total, created_at) VALUES (?, ?, ?, 'running', ?, ?)`, [id, target.id, achievementId, states.length, Date.now() - ageMs]);
  for (const [i, state] of states.entries()) {
    await exec(`INSERT INTO batch_rows (batch_id, row, name, email, state) VALUES (?, ?, 'R', 'r@example.edu', ?)`, [id, i + 1, state]);
  }
  return id;
}

async function credentialOf(target: OrgWithOwner, achievementId: string): Promise<string> {
  const res = await issue(target, credentialBody(achievementId));
  return ((await res.json()) as { id: string }).id;
}

beforeAll(async () => {
  ({ org, owner } = await ownerClient("overview"));
  ({ org: other } = await ownerClient("overview-other"));
  const mine = (myAchievement = (await makeAchievement(org)).id);
  const theirs = (theirAchievement = (await makeAchievement(other)).id);
  credentialId = await credentialOf(org, mine);
  await credentialOf(org, mine);
  const otherCredential = await credentialOf(other, theirs);
  await seedFailures(org, "mine", credentialId, mine);
  await seedFailures(other, "theirs", otherCredential, theirs);
}, 60_000);

describe("console overview", () => {
  it("charts the last 30 days, with the same figures in a table", async () => {
    expect((await owner.get("/console")).status).toBe(200);
    const body = owner.lastBody;
    expect(body).toContain('role="img" aria-labelledby="chart-title chart-desc"');
    expect(body).toContain("2 credentials issued and 0 verifications");
    expect(body.match(/<tr><th scope="row">\d{4}-\d{2}-\d{2}<\/th>/g)).toHaveLength(30);
    const today = new Date().toISOString().slice(0, 10);
    expect(body).toContain(`<tr><th scope="row">${today}</th><td>2</td><td>0</td></tr>`);
    expect(body).toMatch(/<polyline data-series="issued" points="[^"]+"/);
  });

  it("lists this org's failures, each linking to where it is fixed, and none of another org's", async () => {
    await owner.get("/console");
    const body = owner.lastBody;
    expect(body).toContain("https://hooks.example.edu/mine");
    expect(body).toMatch(/href="\/console\/settings\/webhooks\/[0-9a-f-]{36}#delivery-[0-9a-f-]{36}"/);
    expect(body).toContain("LMS said no mine");
    expect(body).toMatch(/href="\/console\/integrations\/[0-9a-f-]{36}"/);
    expect(body).toContain("mailbox full mine");
    expect(body).toContain("Publishing a credential</b> gave up after 5 attempts");
    expect(body.match(new RegExp(`href="/console/credentials/${credentialId}"`, "g"))).toHaveLength(2);
    expect(body).not.toContain("theirs");
    expect(body).not.toContain("Nothing is failing.");
  });

  it("says so when nothing fails", async () => {
    const { owner: fresh } = await ownerClient("overview-fresh");
    await fresh.get("/console");
    expect(fresh.lastBody).toContain("Nothing is failing.");
    expect(fresh.lastBody).toContain("0 credentials issued and 0 verifications");
    expect(fresh.lastBody).toContain("No batches yet.");
    expect(fresh.lastBody).toContain("No LMS syncs yet.");
  }, 30_000); // a sign-up (PBKDF2)
});

describe("recent batches and syncs", () => {
  it("lists this org's last 5 batches with their progress and its syncs, linking to them, and none of another org's", async () => {
    const oldest = await seedBatch(org, myAchievement, ["issued"], 60_000);
    const newer: string[] = [];
    for (let i = 0; i < 4; i++) newer.push(await seedBatch(org, myAchievement, ["issued"], 50_000 - i * 1_000));
    const newest = await seedBatch(org, myAchievement, ["issued", "issued", "failed", "pending"], 1_000);
    const theirs = await seedBatch(other, theirAchievement, ["issued"], 0);
    await owner.get("/console");
    const body = owner.lastBody;
    const section = body.slice(body.indexOf('id="recent-h"'));
    expect(section).toContain(`href="/console/batches/${newest}"`);
    expect(section).toContain('<progress max="4" value="3"');
    expect(section).toContain("issued 2, failed 1, of 4");
    for (const id of newer) expect(section).toContain(`href="/console/batches/${id}"`);
    expect(section).not.toContain(oldest); // the sixth newest
    expect(section).not.toContain(theirs);
    expect(section.indexOf(newest)).toBeLessThan(section.indexOf(newer[3]!));
    expect(section).toMatch(/<a href="\/console\/integrations\/[0-9a-f-]{36}#sync-[0-9a-f-]{36}">Course mine<\/a>: <span class="status-revoked">Failed<\/span>/);
    expect(section).not.toContain("Course theirs");
  });
});

describe("chart geometry", () => {
  it("scales to a round axis top and plots values from the baseline up", () => {
    expect([0, 1, 3, 10, 11, 240].map(axisTop)).toEqual([1, 1, 5, 10, 20, 500]);
    expect(seriesPoints([0, 5, 10], 10)).toBe("36.0,176.0 314.0,93.0 592.0,10.0");
  });
});
