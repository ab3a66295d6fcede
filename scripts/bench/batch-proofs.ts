// A batch with both proofs, end to end, through the real local stack: a 10,000-row batch
// (BENCH_RECIPIENTS) from POST until `completed` (VC-JWTs issued and published), then until every
// credential's Data Integrity proof is published by the credential.prove jobs (laurel-proofs): the
// end-to-end rate with both proofs. Beside it, POST /v1/credentials latency (20 concurrent
// clients) measured with no batch running (the baseline) and again while the proofs are being
// made, printed as a ratio. Heavy (minutes): on request only, `npm run bench -- batch-proofs`.
//
// "Every proof published" is read from the origin's /metrics: the laurel-proofs backlog (batch
// credentials without a stored proof, from the database) is 0 once the batch has completed; then
// checked from the outside: a random sample of `/c/:id.json` from the edge must carry a proof.
import os from "node:os";
import { startStack, type RunningStack } from "../../e2e/support/stack.ts";
import { credentialUrls } from "../../shared/public-urls.ts";
import { runLoad } from "./load.ts";
import { listCredentialIds, readCounter, seedOrg, type SeededOrg } from "./stack-seed.ts";
import { runIfMain } from "./run-if-main.ts";

const RECIPIENTS = Number(process.env.BENCH_RECIPIENTS ?? 10_000);
/** Requests per latency measurement (each at SINGLE_CONCURRENCY in flight). */
const SINGLE_REQUESTS = Number(process.env.BENCH_SINGLE_REQUESTS ?? 600);
const SINGLE_CONCURRENCY = 20;
const EDGE_SAMPLE = 50;
const DEADLINE_MS = 900_000;
const PROOF_BACKLOG = 'laurel_queue_backlog{service="origin",queue="laurel-proofs"}';

export interface BatchProofsBenchResult {
  name: "batch-proofs";
  recipients: number;
  completedMs: number;
  provedMs: number;
  /** Credentials per second from POST until every proof was published. */
  perSecondBothProofs: number;
  /** Credentials per second from POST until `completed` (VC-JWTs only). */
  perSecondJwt: number;
  provedDuringLoad: number;
  edgeSampleProved: number;
  single: { idle: Latency; duringProofs: Latency; p99Ratio: number };
}

interface Latency {
  requests: number;
  errors: number;
  p50Ms: number;
  p99Ms: number;
}

const round = (n: number, digits = 1) => Math.round(n * 10 ** digits) / 10 ** digits;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const load = () => os.loadavg().map((n) => n.toFixed(2)).join(" ");

async function json<T>(res: Response): Promise<T> {
  const text = await res.text();
  if (!res.ok) throw new Error(`${res.url} → ${res.status} ${text.slice(0, 300)}`);
  return JSON.parse(text) as T;
}

async function singleIssue(stack: RunningStack, org: SeededOrg, tag: string): Promise<Latency> {
  const result = await runLoad({
    concurrency: SINGLE_CONCURRENCY,
    maxRequests: SINGLE_REQUESTS,
    durationMs: 600_000,
    requestFor: (i) => ({
      url: `${stack.originUrl}/v1/credentials`,
      method: "POST",
      headers: { authorization: `Bearer ${org.apiKey}`, "content-type": "application/json", "idempotency-key": crypto.randomUUID() },
      body: JSON.stringify({ achievementId: org.achievementId, recipient: { name: `Single ${tag} ${i}`, email: `single-${tag}-${i}@bench.example` } }),
    }),
    check: (_url, status) => status === 201,
  });
  return { requests: result.requests, errors: result.errors, p50Ms: round(result.p50Ms), p99Ms: round(result.p99Ms) };
}

export async function run(): Promise<BatchProofsBenchResult> {
  console.log(`machine: ${os.cpus().length} cores, load average at start ${load()}`);
  console.log("starting the local stack…");
  const stack = await startStack({ timeoutMs: 120_000, collectLines: false });
  try {
    const metrics = `${stack.originUrl}/metrics`;
    const singleOrg = await seedOrg(stack.originUrl, stack.adminToken, `bench-pf-single-${Date.now().toString(36)}`);
    console.log(`single, no batch running: ${SINGLE_REQUESTS} × POST /v1/credentials, ${SINGLE_CONCURRENCY} concurrent clients…`);
    const idle = await singleIssue(stack, singleOrg, "idle");
    console.log(`  p50 ${idle.p50Ms} ms, p99 ${idle.p99Ms} ms, errors ${idle.errors}`);
    await sleep(3_000); // the single credentials' own publications and proofs settle

    const org = await seedOrg(stack.originUrl, stack.adminToken, `bench-pf-batch-${Date.now().toString(36)}`);
    const headers = { authorization: `Bearer ${org.apiKey}`, "content-type": "application/json" };
    const recipients = Array.from({ length: RECIPIENTS }, (_, i) => ({ name: `Learner ${i}`, email: `learner${i}@proofs.example` }));
    console.log(`batch: POST ${RECIPIENTS} recipients, wait until completed, then until every Data Integrity proof is published…`);
    const started = performance.now();
    const accepted = await json<{ id: string }>(
      await fetch(`${stack.originUrl}/v1/credentials/batch`, {
        method: "POST",
        headers: { ...headers, "idempotency-key": crypto.randomUUID() },
        body: JSON.stringify({ achievementId: org.achievementId, recipients }),
      }),
    );
    let completedMs = 0;
    for (const until = Date.now() + DEADLINE_MS; ; await sleep(100)) {
      const state = await json<{ status: string; issued: number; failed: number }>(await fetch(`${stack.originUrl}/v1/batches/${accepted.id}`, { headers }));
      if (state.status === "completed" || state.status === "completed_with_errors") {
        if (state.issued !== RECIPIENTS) throw new Error(`batch finished with issued=${state.issued} failed=${state.failed}`);
        completedMs = performance.now() - started;
        break;
      }
      if (Date.now() > until) throw new Error(`batch not completed in time: ${JSON.stringify(state)}`);
    }
    const backlogAtCompletion = await readCounter(metrics, PROOF_BACKLOG);
    console.log(`  completed after ${Math.round(completedMs)} ms (${RECIPIENTS - backlogAtCompletion} proofs stored by then)`);

    console.log(`single, while the batch's proofs are made: ${SINGLE_REQUESTS} × POST /v1/credentials…`);
    const backlogBeforeLoad = await readCounter(metrics, PROOF_BACKLOG);
    const duringProofs = await singleIssue(stack, singleOrg, "proofs");
    const backlogAfterLoad = await readCounter(metrics, PROOF_BACKLOG);
    const provedDuringLoad = backlogBeforeLoad - backlogAfterLoad;
    console.log(`  p50 ${duringProofs.p50Ms} ms, p99 ${duringProofs.p99Ms} ms, errors ${duringProofs.errors}; batch proofs made meanwhile: ${provedDuringLoad} (${backlogAfterLoad} left)`);
    if (backlogBeforeLoad === 0) console.log("  (every proof was already stored before this measurement: it ran with no proofs being made)");

    let provedMs = 0;
    for (const until = Date.now() + DEADLINE_MS; ; await sleep(1_000)) {
      const left = await readCounter(metrics, PROOF_BACKLOG);
      if (left === 0) {
        provedMs = performance.now() - started;
        break;
      }
      if (Date.now() > until) throw new Error(`${left} of ${RECIPIENTS} proofs still missing`);
    }

    // Outside check: the edge serves each sampled credential's JSON with its proof.
    const ids = await listCredentialIds(stack.originUrl, org);
    let edgeSampleProved = 0;
    for (let i = 0; i < EDGE_SAMPLE; i++) {
      const id = ids[Math.floor(Math.random() * ids.length)]!;
      const res = await fetch(credentialUrls(stack.edgeUrl, id).json);
      const body = (await res.json()) as { proof?: { cryptosuite?: string } };
      if (res.status === 200 && body.proof?.cryptosuite === "eddsa-rdfc-2022") edgeSampleProved++;
    }

    const result: BatchProofsBenchResult = {
      name: "batch-proofs",
      recipients: RECIPIENTS,
      completedMs: Math.round(completedMs),
      provedMs: Math.round(provedMs),
      perSecondBothProofs: Math.round((RECIPIENTS / provedMs) * 1000),
      perSecondJwt: Math.round((RECIPIENTS / completedMs) * 1000),
      provedDuringLoad,
      edgeSampleProved,
      single: { idle, duringProofs, p99Ratio: round(duringProofs.p99Ms / idle.p99Ms, 2) },
    };
    console.log(`  every proof published after ${result.provedMs} ms → ${result.perSecondBothProofs} credentials/s with both proofs (${result.perSecondJwt}/s to completed, VC-JWT only)`);
    console.log(`  edge sample: ${edgeSampleProved}/${EDGE_SAMPLE} /c/:id.json with an eddsa-rdfc-2022 proof`);
    console.log(`  POST /v1/credentials p99 while proofs are made / with no batch: x${result.single.p99Ratio} (${duringProofs.p99Ms} ms / ${idle.p99Ms} ms)`);
    console.log(`machine load average at end ${load()}`);
    return result;
  } finally {
    const code = await stack.stop();
    console.log(`stack stopped (exit ${code})`);
  }
}

runIfMain(import.meta.url, run);
