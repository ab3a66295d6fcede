// `npm run drill`: the graduation-day drill (docs/operations.md "Graduation-day drill"). On a fresh
// local stack it issues a cohort by batch, replays a ceremony (a ramp of scans on pages,
// verification JSON and badges while another batch is issued, credentials are revoked and
// webhooks flow), injects faults during it, then waits for the stack to drain and reconciles:
// every accepted credential issued exactly once, every webhook delivered or dead-lettered, every
// revocation published, nothing lost. It prints a report, writes it as JSON to the data folder,
// and exits 1 when the reconciliation fails.
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { startStack, type RunningStack } from "../../e2e/support/stack.ts";
import { credentialUrls } from "../../shared/public-urls.ts";
import { runLoad } from "../bench/load.ts";
import { listCredentialIds, seedOrg, type SeededOrg } from "../bench/stack-seed.ts";
import { ClientFigures } from "./client-figures.ts";
import { readDatabase } from "./database-file.ts";
import { callApi, callApiOk } from "./issuer-client.ts";
import { parseOptions, type DrillOptions } from "./options.ts";
import { startReceiver, type DrillReceiver } from "./receiver.ts";
import { expectedEvents, reconcile } from "./reconcile.ts";
import { printReport, type DrillReport } from "./report.ts";
import { FaultInjector, thawAll } from "./stack-faults.ts";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const log = (message: string) => console.log(`[drill ${new Date().toISOString().slice(11, 19)}] ${message}`);

/** Share of scans per route class during the ceremony (pages and badges dominate, as at the peak). */
const SCAN_MIX: [string, number][] = [
  ["page", 40],
  ["verifyJson", 30],
  ["badge", 30],
];

function scanUrl(edgeUrl: string, routeClass: string, id: string): string {
  const urls = credentialUrls(edgeUrl, id);
  if (routeClass === "page") return urls.page;
  if (routeClass === "badge") return urls.badge;
  return `${edgeUrl}/api/v1/verify/${id}`;
}

function classOf(i: number): string {
  let slot = i % 100;
  for (const [name, share] of SCAN_MIX) {
    if (slot < share) return name;
    slot -= share;
  }
  return SCAN_MIX[0]![0];
}

/** Each id's status in the edge's verification JSON ("valid", "revoked", … or "http <status>"). */
async function edgeStatuses(edgeUrl: string, ids: string[]): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  const idOf = (url: string) => url.slice(url.lastIndexOf("/") + 1);
  await runLoad({
    requestFor: (i) => ({ url: `${edgeUrl}/api/v1/verify/${ids[i]}` }),
    maxRequests: ids.length,
    durationMs: 600_000,
    concurrency: 8,
    check: (url, _status, body) => {
      try {
        out.set(idOf(url), String((JSON.parse(body) as { status?: unknown }).status));
      } catch {
        out.set(idOf(url), "unreadable answer");
      }
      return true;
    },
    observe: (s) => {
      if (!out.has(idOf(s.url))) out.set(idOf(s.url), s.status === 0 ? "no answer" : `http ${s.status}`);
    },
  });
  return out;
}

/** Polls `done` every 2 s until it is true or `seconds` pass; returns whether it became true. */
async function waitFor(seconds: number, done: () => Promise<boolean>): Promise<boolean> {
  const until = Date.now() + seconds * 1000;
  for (;;) {
    if (await done().catch(() => false)) return true;
    if (Date.now() > until) return false;
    await sleep(2000);
  }
}

function recipients(prefix: string, count: number) {
  return Array.from({ length: count }, (_, i) => ({ name: `Graduate ${prefix} ${i}`, email: `${prefix}-${i}@graduates.drill.example` }));
}

async function uploadBatch(stack: RunningStack, org: SeededOrg, key: string, people: { name: string; email: string }[], retryForMs: number) {
  return callApi<{ id: string; total: number }>(stack.originUrl, "/v1/credentials/batch", {
    method: "POST",
    token: org.apiKey,
    headers: { "idempotency-key": key },
    body: { achievementId: org.achievementId, recipients: people },
    retryForMs,
  });
}

async function batchState(stack: RunningStack, org: SeededOrg, id: string) {
  return (await callApiOk<{ status: string; issued: number; failed: number; total: number }>(stack.originUrl, `/v1/batches/${id}`, { token: org.apiKey, retryForMs: 30_000 })).body;
}

const finished = (status: string) => status === "completed" || status === "completed_with_errors";

export async function runDrill(options: DrillOptions): Promise<DrillReport> {
  const started = Date.now();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "laurel-drill-"));
  const alertsSecret = `whsec_${crypto.randomBytes(32).toString("base64")}`;
  const receiver: DrillReceiver = await startReceiver(alertsSecret);
  log(`data folder ${dataDir}; receiver ${receiver.url}`);
  let stack: RunningStack | undefined;
  const onSignal = () => {
    thawAll();
    void stack?.stop().finally(() => process.exit(130));
  };
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);
  try {
    // The launcher gives each Worker 60 s to answer /healthz; on a machine shared with other work
    // a start can miss that, so the drill tries three times (same data folder) before giving up.
    for (let attempt = 1; !stack; attempt++) {
      try {
        stack = await startStack({
          dataDir,
          collectLines: false,
          timeoutMs: 240_000,
          env: { FAULT_INJECTION: "true", ALERT_WEBHOOK_URL: receiver.alertsUrl, ALERT_WEBHOOK_SECRET: alertsSecret },
        });
      } catch (error) {
        if (attempt >= 3) throw error;
        log(`the stack did not start (attempt ${attempt}): ${String(error).split("\n")[0]}; trying again`);
      }
    }
    log(`stack ready: edge ${stack.edgeUrl}, origin ${stack.originUrl}`);
    return await drill(stack, receiver, options, dataDir, started);
  } finally {
    thawAll();
    await stack?.stop();
    await receiver.close();
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
  }
}

async function drill(stack: RunningStack, receiver: DrillReceiver, options: DrillOptions, dataDir: string, started: number): Promise<DrillReport> {
  const notes: string[] = [];
  // 1. The org, its webhook endpoint (the drill's receiver) and the cohort, by batch.
  const org = await seedOrg(stack.originUrl, stack.adminToken, `drill-${Date.now().toString(36)}`);
  const endpoint = (
    await callApiOk<{ id: string; secret: string }>(stack.originUrl, "/v1/webhooks", {
      method: "POST",
      token: org.apiKey,
      body: { url: receiver.hooksUrl, events: ["credential.issued", "credential.revoked", "batch.completed"], description: "graduation-day drill" },
    })
  ).body;
  receiver.setHooksSecret(endpoint.secret);

  const cohort = recipients("cohort", options.cohort);
  const cohortKey = `drill-cohort-${org.slug}`;
  const first = await uploadBatch(stack, org, cohortKey, cohort, 60_000);
  if (first.status !== 202) throw new Error(`cohort upload answered ${first.status}: ${JSON.stringify(first.body)}`);
  // The same upload again, as a client whose answer was lost would send it: the same batch, replayed.
  const again = await uploadBatch(stack, org, cohortKey, cohort, 60_000);
  const idempotency = {
    firstStatus: first.status,
    retryStatus: again.status,
    sameBatch: again.body?.id === first.body.id,
    replayedHeader: again.headers.get("idempotency-replayed"),
  };
  log(`cohort batch ${first.body.id} accepted (${options.cohort}); retry of the upload: ${again.status}, same batch ${idempotency.sameBatch}, Idempotency-Replayed ${idempotency.replayedHeader}`);
  const cohortIssuedIn = Date.now();
  if (!(await waitFor(300, async () => finished((await batchState(stack, org, first.body.id)).status)))) throw new Error("the cohort batch did not finish in 300 s");
  const cohortSeconds = (Date.now() - cohortIssuedIn) / 1000;
  const cohortIds = await listCredentialIds(stack.originUrl, org);
  log(`cohort issued: ${cohortIds.length} credentials in ${cohortSeconds.toFixed(1)} s; waiting for the edge to serve them`);
  const served = await waitFor(240, async () => [...(await edgeStatuses(stack.edgeUrl, cohortIds)).values()].every((s) => s === "valid"));
  if (!served) notes.push("not every cohort credential verified as valid at the edge within 240 s before the ceremony");

  // 2. The ceremony: a ramp of scans, a second batch, revocations, webhooks; 3. faults during it.
  const ceremonyStart = Date.now();
  log(`ceremony starts: ${options.ceremonySeconds} s, scans ramping up to ${options.maxConcurrency} in flight`);
  const figures = new ClientFigures(ceremonyStart);
  const injector = new FaultInjector(stack, receiver, ceremonyStart);
  const d = options.ceremonySeconds;
  const at = (fraction: number) => sleep(fraction * d * 1000);
  const revokeIds = [...cohortIds].sort(() => Math.random() - 0.5).slice(0, options.revocations);
  const revoked: string[] = [];
  const revocationAttempts: number[] = [];
  const revocationFailures: string[] = [];
  let secondBatch: { id: string; attempts: number; acceptedAtSeconds: number } | null = null;
  const secondPeople = recipients("late", options.secondBatch);

  const ramp = (async () => {
    // Four steps up to the top over the first quarter, then the top for the rest.
    const steps = [0.25, 0.5, 0.75].map((f) => Math.max(1, Math.round(options.maxConcurrency * f)));
    const stepMs = (d * 1000) / 4 / steps.length;
    const stages: [number, number][] = [...steps.map((c): [number, number] => [c, stepMs]), [options.maxConcurrency, (d * 1000 * 3) / 4]];
    for (const [concurrency, durationMs] of stages) {
      await runLoad({
        requestFor: (i) => {
          const cls = classOf(i);
          return { url: scanUrl(stack.edgeUrl, cls, cohortIds[Math.floor(Math.random() * cohortIds.length)]!) };
        },
        concurrency,
        durationMs,
        observe: (s) => {
          const cls = s.url.endsWith("/badge.png") ? "badge" : s.url.includes("/api/v1/verify/") ? "verifyJson" : "page";
          figures.record(cls, s);
        },
      });
    }
  })();
  const issueSecond = (async () => {
    await at(0.03);
    const answer = await uploadBatch(stack, org, `drill-late-${org.slug}`, secondPeople, d * 1000);
    if (answer.status === 202) secondBatch = { id: answer.body.id, attempts: answer.attempts, acceptedAtSeconds: (Date.now() - ceremonyStart) / 1000 };
    else notes.push(`the second batch was refused: ${answer.status} ${JSON.stringify(answer.body).slice(0, 200)}`);
  })();
  const revoke = (async () => {
    await at(0.05);
    const gapMs = revokeIds.length ? (d * 1000 * 0.8) / revokeIds.length : 0;
    for (const id of revokeIds) {
      const next = sleep(gapMs);
      try {
        const answer = await callApi(stack.originUrl, `/v1/credentials/${id}/revoke`, { method: "POST", token: org.apiKey, body: { reason: "Drill: issued in error" }, retryForMs: 60_000 });
        revocationAttempts.push(answer.attempts);
        if (answer.status === 200) revoked.push(id);
        else revocationFailures.push(`${id}: ${answer.status}`);
      } catch (error) {
        revocationFailures.push(`${id}: ${String(error)}`);
      }
      await next;
    }
  })();
  const faults = (async () => {
    await at(0.15);
    await injector.freeze("libsql", 10);
    await at(0.1);
    await injector.failQueue("laurel-jobs", 20);
    await at(0.1);
    await injector.receiverDown(20);
    await at(0.1);
    await injector.freeze("origin", 10);
  })();
  await Promise.all([ramp, issueSecond, revoke, faults]);
  const ceremonySeconds = (Date.now() - ceremonyStart) / 1000;
  log(`ceremony over after ${ceremonySeconds.toFixed(0)} s; draining (at most ${options.drainSeconds} s)`);

  // 4. Drain (bounded), then reconcile.
  const drainStart = Date.now();
  const drainUntil = drainStart + options.drainSeconds * 1000;
  const remaining = () => Math.max(5, (drainUntil - Date.now()) / 1000);
  const batches = [{ id: first.body.id, emails: cohort.map((p) => p.email) }];
  const second = secondBatch as { id: string; attempts: number; acceptedAtSeconds: number } | null;
  if (second) {
    batches.push({ id: second.id, emails: secondPeople.map((p) => p.email) });
    if (!(await waitFor(remaining(), async () => finished((await batchState(stack, org, second.id)).status)))) notes.push("the second batch had not finished when the drain ended");
  }
  // A receiver outage can disable the endpoint (30 failures in a row, docs/webhooks.md): an
  // operator re-enables it once the receiver is back, and the drill does the same, and says so.
  const endpointState = (await callApiOk<{ enabled: boolean; disabledReason?: string | null }>(stack.originUrl, `/v1/webhooks/${endpoint.id}`, { token: org.apiKey, retryForMs: 30_000 })).body;
  if (!endpointState.enabled) {
    notes.push(`the webhook endpoint was disabled by the receiver outage (${endpointState.disabledReason ?? "no reason"}); the drill re-enabled it (PATCH enabled: true) as an operator would`);
    await callApiOk(stack.originUrl, `/v1/webhooks/${endpoint.id}`, { method: "PATCH", token: org.apiKey, body: { enabled: true }, retryForMs: 30_000 });
  }
  const databaseFile = path.join(dataDir, "laurel.db");
  const webhooksDone = await waitFor(remaining(), async () => {
    const view = readDatabase(databaseFile, org.slug);
    const expected = expectedEvents({ batches, credentials: view.credentials, revoked });
    const received = new Set([...receiver.events().values()].map((e) => `${e.type}:${e.subject}`));
    const dead = new Set(view.deadLettered);
    return [...expected].every((key) => received.has(key) || dead.has(key));
  });
  if (!webhooksDone) notes.push("not every expected webhook had arrived (or been dead-lettered) when the drain ended");
  let view = readDatabase(databaseFile, org.slug);
  let edge = await edgeStatuses(stack.edgeUrl, view.credentials.map((c) => c.id));
  const edgeAgrees = () => view.credentials.every((c) => edge.get(c.id) === (c.status === "revoked" ? "revoked" : "valid"));
  while (!edgeAgrees() && Date.now() < drainUntil) {
    await sleep(5000);
    view = readDatabase(databaseFile, org.slug);
    edge = await edgeStatuses(stack.edgeUrl, view.credentials.map((c) => c.id));
  }
  const drainSeconds = (Date.now() - drainStart) / 1000;
  const webhooks = [...receiver.events().values()];
  const reconciliation = reconcile({ batches, credentials: view.credentials, revoked, webhooks, deadLettered: view.deadLettered, edge });

  const report: DrillReport = {
    date: new Date().toISOString(),
    machine: `${os.cpus().length} cores, ${os.cpus()[0]?.model ?? "unknown CPU"}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, load average at end ${os.loadavg().map((l) => l.toFixed(2)).join(" ")}`,
    options,
    dataDir,
    durationSeconds: Math.round((Date.now() - started) / 1000),
    cohort: { batchId: first.body.id, credentials: cohortIds.length, issueSeconds: Math.round(cohortSeconds * 10) / 10, idempotency },
    ceremony: {
      seconds: Math.round(ceremonySeconds),
      requests: Object.values(figures.byClass()).reduce((n, c) => n + c.requests, 0),
      byClass: figures.byClass(),
      errorWindows: figures.errorWindows(),
      rate: figures.rateWindows(),
      secondBatch: second && { ...second, total: options.secondBatch },
      revocations: { asked: revokeIds.length, accepted: revoked.length, maxAttempts: Math.max(0, ...revocationAttempts), failures: revocationFailures },
    },
    faults: injector.timeline,
    webhooks: { receivedIds: webhooks.length, redeliveries: webhooks.reduce((n, w) => n + w.deliveries - 1, 0), ...receiver.counters(), pendingAfterDrain: view.pendingDeliveries, deadLettered: view.deadLettered.length },
    alerts: receiver.alerts(),
    drainSeconds: Math.round(drainSeconds),
    reconciliation,
    notes,
  };
  fs.writeFileSync(path.join(dataDir, "drill-report.json"), JSON.stringify(report, null, 2) + "\n");
  return report;
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  const report = await runDrill(options);
  printReport(report);
  process.exit(report.reconciliation.ok ? 0 : 1);
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(import.meta.filename)) {
  main().catch((error) => {
    thawAll();
    console.error(error);
    process.exit(1);
  });
}
