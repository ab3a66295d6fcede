// Issuance throughput: a 10,000-recipient batch through the real local stack (HTTP → libSQL →
// queue → consumer → KV), end to end: until every credential is published (VC-JWT), and then until
// every Data Integrity proof is (credential.prove jobs on laurel-proofs; data-integrity.ts measures
// its cost per credential, batch-proofs.ts the API's latency while proofs are made), beside a
// baseline measured in the same run: the same 10,000
// credentials built, signed and inserted directly (shared credential code + jose + @libsql/client
// in file mode), no HTTP, no queue. Also the p99 latency of POST /v1/credentials under 20
// concurrent clients (scripts/bench/load.ts, the same light node:http client as the edge benchmark).
// Targets: batch ≥ 0.5 × baseline; single-issue p99 < 200 ms.
// Run: npx node scripts/bench/issuance.ts   (env: BENCH_RECIPIENTS, BENCH_SINGLE_REQUESTS; BENCH_SKIP_BATCH=1
// skips the baseline and the batch and measures only the single-issue latency)
//
// What "end to end" means here: from sending the POST until (a) GET /v1/batches/:id says
// completed and (b) the origin has published every credential's projection and baked badge to KV,
// read from the origin's laurel_credentials_published_total counter (one wrangler dev isolate
// runs both the API and the consumer, so the in-isolate counter sees every publication). The
// result is then checked from the outside: a random sample of the credentials is fetched from the
// edge (GET /c/:id.jwt, /c/:id/badge.png) while the edge's origin-RPC counter must stay unchanged,
// i.e. the edge found them in KV rather than asking the origin.
import { createClient } from "@libsql/client";
import { drizzle } from "drizzle-orm/libsql";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { startStack, type RunningStack } from "../../e2e/support/stack.ts";
import { migrateDatabase } from "../../local/migrate.ts";
import { achievements, credentials, orgs, signingKeys, statusLists } from "../../origin/db/schema/index.ts";
import { buildCredential } from "../../shared/credential/index.ts";
import { generateIssuerKey } from "../../shared/keys/index.ts";
import { signCredentialJwt } from "../../shared/vc-jwt/index.ts";
import { runLoad } from "./load.ts";
import { listCredentialIds, readCounter, seedOrg, type SeededOrg } from "./stack-seed.ts";
import { runIfMain } from "./run-if-main.ts";
import { credentialUrls, statusListUrl } from "../../shared/public-urls.ts";

const RECIPIENTS = Number(process.env.BENCH_RECIPIENTS ?? 10_000);
const SINGLE_REQUESTS = Number(process.env.BENCH_SINGLE_REQUESTS ?? 1_000);
const SINGLE_CONCURRENCY = 20;
const SKIP_BATCH = Boolean(process.env.BENCH_SKIP_BATCH);
const EDGE_SAMPLE = 200;

export interface IssuanceBenchResult {
  name: "issuance";
  recipients: number;
  baseline: { ms: number; perSecond: number; signMs: number; insertMs: number };
  batch: { acceptMs: number; issuedMs: number; publishedMs: number; perSecond: number; ratio: number; edgeSampleOk: number; edgeRpcDuringSample: number; provedMs: number; perSecondBothProofs: number };
  single: { requests: number; concurrency: number; errors: number; p50Ms: number; p99Ms: number; rps: number };
  targets: { batchRatio: boolean; singleP99: boolean };
}

const round = (n: number, digits = 1) => Math.round(n * 10 ** digits) / 10 ** digits;

/** Baseline: build, sign and insert the same number of credentials directly into a libSQL file. */
async function baseline(count: number) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "laurel-bench-baseline-"));
  const url = `file:${path.join(dir, "baseline.db")}`;
  await migrateDatabase(url);
  const client = createClient({ url });
  const db = drizzle(client);
  try {
    const orgId = crypto.randomUUID();
    const achievementId = crypto.randomUUID();
    const listId = crypto.randomUUID();
    const key = await generateIssuerKey();
    await db.insert(orgs).values({ id: orgId, slug: "baseline", name: "Baseline University", createdAt: new Date() });
    await db.insert(signingKeys).values({ id: crypto.randomUUID(), orgId, kid: key.keyId, alg: "ES256", publicJwk: key.publicJwk as Record<string, unknown>, privateJwkEncrypted: "n/a", status: "active" });
    await db.insert(achievements).values({ id: achievementId, orgId, name: "Baseline", description: "d", criteriaNarrative: "c" });
    await db.insert(statusLists).values({ id: listId, orgId, size: 131_072, allocated: count });
    const base = "http://127.0.0.1:8787";
    const issuer = { id: `did:web:127.0.0.1%3A8787:issuers:baseline`, name: "Baseline University" };
    const achievement = { id: `urn:uuid:${achievementId}`, name: "Baseline", description: "d", criteria: { narrative: "c" } };
    const signingKey = { keyId: key.keyId, privateKey: key.privateJwk, alg: "ES256" as const };

    const started = performance.now();
    const rows: (typeof credentials.$inferInsert)[] = [];
    const SLICE = 250; // as many in flight as the consumer's issuance slices
    for (let i = 0; i < count; i += SLICE) {
      const part = await Promise.all(
        Array.from({ length: Math.min(SLICE, count - i) }, async (_, j) => {
          const n = i + j;
          const id = crypto.randomUUID();
          const vc = await buildCredential({
            id,
            issuer,
            achievement,
            recipient: { name: `Recipient ${n}`, email: `r${n}@baseline.example` },
            status: { statusListCredential: statusListUrl(base, listId), statusListIndex: n },
          });
          const jwt = await signCredentialJwt(vc, signingKey);
          return {
            id, orgId, achievementId, recipientName: `Recipient ${n}`, recipientEmail: `r${n}@baseline.example`,
            statusListId: listId, statusIndex: n, kid: key.keyId, jwt, validFrom: vc.validFrom, issuedAt: new Date(),
          };
        }),
      );
      rows.push(...part);
    }
    const signed = performance.now();
    const inserts = [];
    for (let i = 0; i < rows.length; i += 100) inserts.push(db.insert(credentials).values(rows.slice(i, i + 100)));
    await db.batch(inserts as unknown as Parameters<typeof db.batch>[0]);
    const done = performance.now();
    const ms = done - started;
    return { ms: Math.round(ms), perSecond: Math.round((count / ms) * 1000), signMs: Math.round(signed - started), insertMs: Math.round(done - signed) };
  } finally {
    client.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

async function json<T>(res: Response): Promise<T> {
  const text = await res.text();
  if (!res.ok) throw new Error(`${res.url} → ${res.status} ${text.slice(0, 300)}`);
  return JSON.parse(text) as T;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The 10,000-recipient batch, end to end. */
async function batchEndToEnd(stack: RunningStack, org: SeededOrg, count: number) {
  const metrics = `${stack.originUrl}/metrics`;
  const publishedBefore = await readCounter(metrics, "laurel_credentials_published_total");
  const recipients = Array.from({ length: count }, (_, i) => ({ name: `Learner ${i}`, email: `learner${i}@bench.example` }));
  const body = JSON.stringify({ achievementId: org.achievementId, recipients });
  const headers = { authorization: `Bearer ${org.apiKey}`, "content-type": "application/json" };

  const started = performance.now();
  const accepted = await json<{ id: string; total: number }>(
    await fetch(`${stack.originUrl}/v1/credentials/batch`, { method: "POST", headers: { ...headers, "idempotency-key": crypto.randomUUID() }, body }),
  );
  const acceptMs = performance.now() - started;
  let issuedMs = 0;
  for (const until = Date.now() + 600_000; ; await sleep(100)) {
    const state = await json<{ status: string; issued: number; failed: number }>(await fetch(`${stack.originUrl}/v1/batches/${accepted.id}`, { headers }));
    if (state.status === "completed" || state.status === "completed_with_errors") {
      if (state.failed > 0 || state.issued !== count) throw new Error(`batch finished with issued=${state.issued} failed=${state.failed}`);
      issuedMs = performance.now() - started;
      break;
    }
    if (Date.now() > until) throw new Error(`batch not completed in 10 minutes: ${JSON.stringify(state)}`);
  }
  let publishedMs = 0;
  for (const until = Date.now() + 600_000; ; await sleep(100)) {
    const published = (await readCounter(metrics, "laurel_credentials_published_total")) - publishedBefore;
    if (published >= count) {
      publishedMs = performance.now() - started;
      break;
    }
    if (Date.now() > until) throw new Error(`only ${published} of ${count} credentials published in 10 minutes`);
  }
  // Both proofs: the laurel-proofs backlog (batch credentials without a stored Data Integrity proof,
  // read from the database) drains to 0. Also keeps the proofs out of the single-issue latency below.
  let provedMs = 0;
  for (const until = Date.now() + 900_000; ; await sleep(1_000)) {
    const left = await readCounter(metrics, 'laurel_queue_backlog{service="origin",queue="laurel-proofs"}');
    if (left === 0) {
      provedMs = performance.now() - started;
      break;
    }
    if (Date.now() > until) throw new Error(`${left} Data Integrity proofs still missing after 15 minutes`);
  }

  // Outside check: a random sample served by the edge from KV (no origin RPC while sampling).
  const ids = await listCredentialIds(stack.originUrl, org);
  if (ids.length !== count) throw new Error(`expected ${count} credentials, the API lists ${ids.length}`);
  const sample = Array.from({ length: Math.min(EDGE_SAMPLE, ids.length) }, () => ids[Math.floor(Math.random() * ids.length)]!);
  const edgeMetrics = `${stack.edgeUrl}/metrics`;
  const rpcBefore = await readCounter(edgeMetrics, "laurel_edge_origin_rpc_credential_projection_total");
  let edgeSampleOk = 0;
  for (const id of sample) {
    const jwt = await fetch(credentialUrls(stack.edgeUrl, id).jwt);
    const badge = await fetch(credentialUrls(stack.edgeUrl, id).badge);
    const ok = jwt.status === 200 && (await jwt.text()).split(".").length === 3 && badge.status === 200 && badge.headers.get("x-laurel-badge") !== "provisional";
    await badge.arrayBuffer();
    if (ok) edgeSampleOk++;
  }
  const edgeRpcDuringSample = (await readCounter(edgeMetrics, "laurel_edge_origin_rpc_credential_projection_total")) - rpcBefore;
  return { acceptMs: Math.round(acceptMs), issuedMs: Math.round(issuedMs), publishedMs: Math.round(publishedMs), provedMs: Math.round(provedMs), edgeSampleOk, edgeRpcDuringSample, sampled: sample.length };
}

/** POST /v1/credentials latency with `concurrency` clients, `requests` in total (each with its own Idempotency-Key). */
async function singleIssue(stack: RunningStack, org: SeededOrg, requests: number, concurrency: number) {
  const result = await runLoad({
    concurrency,
    maxRequests: requests,
    durationMs: 600_000,
    requestFor: (i) => ({
      url: `${stack.originUrl}/v1/credentials`,
      method: "POST",
      headers: { authorization: `Bearer ${org.apiKey}`, "content-type": "application/json", "idempotency-key": crypto.randomUUID() },
      body: JSON.stringify({ achievementId: org.achievementId, recipient: { name: `Single ${i}`, email: `single${i}@bench.example` } }),
    }),
    check: (_url, status) => status === 201,
  });
  return {
    requests: result.requests,
    concurrency,
    errors: result.errors,
    p50Ms: round(result.p50Ms),
    p99Ms: round(result.p99Ms),
    rps: Math.round(result.rps),
    samples: result.samples,
  };
}

/** Load averages (1, 5, 15 min): this machine is shared, so every figure is printed beside them. */
const load = () => os.loadavg().map((n) => n.toFixed(2)).join(" ");

export async function run(): Promise<IssuanceBenchResult> {
  console.log(`machine: ${os.cpus().length} cores, load average at start ${load()}`);
  console.log(`baseline: build + sign + insert ${RECIPIENTS} credentials directly (jose, @libsql/client file mode)…`);
  const base = SKIP_BATCH ? { ms: 0, perSecond: 0, signMs: 0, insertMs: 0 } : await baseline(RECIPIENTS);
  console.log(`  ${base.ms} ms (sign ${base.signMs} ms, insert ${base.insertMs} ms) → ${base.perSecond} credentials/s`);

  console.log("starting the local stack…");
  // The stack's log lines are drained unparsed (collectLines: false) unless BENCH_LOG asks for them:
  // parsing every line would cost the load client CPU on this 2-core machine.
  const stack = await startStack({ timeoutMs: 120_000, collectLines: Boolean(process.env.BENCH_LOG) });
  try {
    let batch = { acceptMs: 0, issuedMs: 0, publishedMs: 0, provedMs: 0, edgeSampleOk: 0, edgeRpcDuringSample: 0, sampled: 0 };
    let perSecond = 0;
    let ratio = 0;
    if (SKIP_BATCH) console.log("batch: skipped (BENCH_SKIP_BATCH)");
    else {
      const org = await seedOrg(stack.originUrl, stack.adminToken, `bench-batch-${Date.now().toString(36)}`);
      console.log(`batch: POST ${RECIPIENTS} recipients, wait until completed and every credential published to KV…`);
      batch = await batchEndToEnd(stack, org, RECIPIENTS);
      perSecond = Math.round((RECIPIENTS / batch.publishedMs) * 1000);
      ratio = round(perSecond / base.perSecond, 2);
      console.log(`  accepted (202) after ${batch.acceptMs} ms; batch completed after ${batch.issuedMs} ms; all published after ${batch.publishedMs} ms`);
      console.log(`  → ${perSecond} credentials/s end to end; ratio to baseline ${ratio} (target ≥ 0.5: ${ratio >= 0.5 ? "met" : "NOT met"})`);
      console.log(`  every Data Integrity proof published after ${batch.provedMs} ms → ${Math.round((RECIPIENTS / batch.provedMs) * 1000)} credentials/s end to end with both proofs`);
      console.log(`  edge sample: ${batch.edgeSampleOk}/${batch.sampled} served (jwt + baked badge), origin RPCs during the sample: ${batch.edgeRpcDuringSample}`);
    }

    const singleOrg = await seedOrg(stack.originUrl, stack.adminToken, `bench-single-${Date.now().toString(36)}`);
    console.log(`single: ${SINGLE_REQUESTS} × POST /v1/credentials, ${SINGLE_CONCURRENCY} concurrent clients…`);
    const single = await singleIssue(stack, singleOrg, SINGLE_REQUESTS, SINGLE_CONCURRENCY);
    console.log(`  p50 ${single.p50Ms} ms, p99 ${single.p99Ms} ms, ${single.rps} req/s, errors ${single.errors} (target p99 < 200 ms: ${single.p99Ms < 200 ? "met" : "NOT met"})`);
    console.log(`machine load average at end ${load()}`);
    if (single.samples.length) console.log("  error samples:", single.samples);

    return {
      name: "issuance",
      recipients: RECIPIENTS,
      baseline: base,
      batch: {
        acceptMs: batch.acceptMs, issuedMs: batch.issuedMs, publishedMs: batch.publishedMs, perSecond, ratio, edgeSampleOk: batch.edgeSampleOk, edgeRpcDuringSample: batch.edgeRpcDuringSample,
        provedMs: batch.provedMs, perSecondBothProofs: batch.provedMs ? Math.round((RECIPIENTS / batch.provedMs) * 1000) : 0,
      },
      single: { requests: single.requests, concurrency: single.concurrency, errors: single.errors, p50Ms: single.p50Ms, p99Ms: single.p99Ms, rps: single.rps },
      targets: { batchRatio: ratio >= 0.5, singleP99: single.p99Ms < 200 },
    };
  } finally {
    // BENCH_LOG=<file>: keep the stack's JSON log lines for diagnosis.
    if (process.env.BENCH_LOG) {
      fs.writeFileSync(process.env.BENCH_LOG, "");
      for (let i = 0; i < stack.lines.length; i += 1000) {
        fs.appendFileSync(process.env.BENCH_LOG, stack.lines.slice(i, i + 1000).map((l) => JSON.stringify(l) + "\n").join(""));
      }
    }
    const code = await stack.stop();
    console.log(`stack stopped (exit ${code})`);
  }
}

runIfMain(import.meta.url, run);
