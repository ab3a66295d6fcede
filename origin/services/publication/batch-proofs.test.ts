// Data Integrity proofs of batch-issued credentials (batch-proofs.ts, batch-proof-sweep.ts), inside
// workerd with the real libSQL server: the batch.issue job completes the batch without signing any
// proof, credential.prove jobs prove every credential (revoked ones too), a redelivered job keeps
// the stored proofs, and the sweep proves what a lost job left. No timing is asserted.
import { reset } from "cloudflare:test";
import { eq, inArray } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import { verifyDataIntegrity } from "../../../shared/data-integrity/index.ts";
import { createLogger } from "../../../shared/observability/logger.ts";
import { kvKeys, type CredentialProofProjection, type IssuerProjection } from "../../../shared/kv-keys.ts";
import { credentialJsonOfJwt } from "../../../shared/vc-jwt/credential-json.ts";
import { database } from "../../db/client.ts";
import { batches, credentialProofs, credentials } from "../../db/schema/index.ts";
import type { Job } from "../../queues/jobs.ts";
import { acceptBatch, call, deliver, newIssuer, originEnv } from "../../test/queue-fixtures.ts";
import { revokeCredential } from "../credentials/revoke.ts";
import { PROVE_CHUNK } from "./batch-proofs.ts";
import { sweepBatchProofs } from "./batch-proof-sweep.ts";

/** Batches this file dated back: marked done afterwards, so the shared database's proof backlog (ops/queue-figures.ts) shows no ancient work to other files. */
const datedBack: string[] = [];

afterEach(async () => {
  if (datedBack.length > 0) {
    await database(originEnv).update(batches).set({ proofsDoneAt: new Date() }).where(inArray(batches.id, datedBack.splice(0)));
  }
  await reset();
});

const log = createLogger({ service: "origin", operation: "test" });
type ProveJob = Extract<Job, { type: "credential.prove" }>;
const isProve = (j: Job): j is ProveJob => j.type === "credential.prove";

/** A batch of `n` recipients accepted through the API and issued by delivering its batch.issue jobs. */
async function issuedBatch(n: number) {
  const { e, batchId, jobs: issueJobs, ...issuer } = await acceptBatch(n, "Batch Proof University");
  await deliver(e, [{ type: "issuer.publish", orgId: issuer.org.id, requestId: "r" }]);
  const delivered = await deliver(e, issueJobs);
  expect(delivered.retryMessages).toEqual([]);
  const rows = await issuer.db.select({ id: credentials.id }).from(credentials).where(eq(credentials.batchId, batchId)).orderBy(credentials.batchRow);
  expect(rows.length).toBe(n);
  return { e, ...issuer, batchId, ids: rows.map((r) => r.id) };
}

async function storedProofs(db: Awaited<ReturnType<typeof newIssuer>>["db"], ids: string[]) {
  const rows = await db.select({ id: credentialProofs.credentialId, proof: credentialProofs.proof }).from(credentialProofs).where(inArray(credentialProofs.credentialId, ids));
  return new Map(rows.map((r) => [r.id, r.proof]));
}

async function kvProofs(ids: string[]) {
  const found = new Map<string, Record<string, unknown>>();
  for (const id of ids) {
    const value = await originEnv.PROJECTIONS.get<CredentialProofProjection>(kvKeys.credentialProof(id), "json");
    if (value) found.set(id, value.proof);
  }
  return found;
}

/** Verifies as a wallet would: the Multikey from the issuer's published DID document. */
async function verifies(slug: string, jwt: string, proof: Record<string, unknown>) {
  const issuer = await originEnv.PROJECTIONS.get<IssuerProjection>(kvKeys.issuer(slug), "json");
  const methods = (issuer?.didDocument.verificationMethod ?? []) as { id: string; type: string; controller: string; publicKeyMultibase?: string }[];
  const result = await verifyDataIntegrity({ ...credentialJsonOfJwt(jwt), proof }, async (vm) => {
    const m = methods.find((x) => x.id === vm && x.type === "Multikey");
    return m?.publicKeyMultibase ? { publicKeyMultibase: m.publicKeyMultibase, controller: m.controller } : null;
  });
  return result.verified;
}

// Generous deadlines: JSON-LD canonicalization in workerd on a shared, loaded machine.
describe("Data Integrity proofs of batch-issued credentials", { timeout: 120_000 }, () => {
  it("batch.issue completes the batch without any proof and enqueues credential.prove jobs; they prove every credential, a revoked one too", async () => {
    const n = 60;
    const { e, db, org, batchId, ids } = await issuedBatch(n);
    // The batch is completed before any proof exists: the batch.issue job made none.
    const progress = await call(e, `/v1/batches/${batchId}`, { apiKey: org.apiKey });
    expect(await progress.json()).toMatchObject({ status: "completed", issued: n });
    expect((await storedProofs(db, ids)).size).toBe(0);
    expect((await kvProofs(ids)).size).toBe(0);

    const proveJobs = e.JOBS.take().filter(isProve);
    expect(proveJobs.every((j) => j.credentialIds.length <= PROVE_CHUNK)).toBe(true);
    expect(proveJobs.flatMap((j) => j.credentialIds).sort()).toEqual([...ids].sort());

    // The status lives in the status list: a revoked credential still gets its proof.
    await revokeCredential(db, org.id, ids[0]!, "Issued in error");
    const result = await deliver(e, proveJobs);
    expect(result.retryMessages).toEqual([]);
    expect(result.explicitAcks.length).toBe(proveJobs.length);

    const stored = await storedProofs(db, ids);
    const published = await kvProofs(ids);
    expect(stored.size).toBe(n);
    expect(published).toEqual(stored);
    const jwts = new Map((await db.select({ id: credentials.id, jwt: credentials.jwt }).from(credentials).where(inArray(credentials.id, ids))).map((r) => [r.id, r.jwt]));
    for (const id of [ids[0]!, ids[n - 1]!]) {
      expect(published.get(id)).toMatchObject({ type: "DataIntegrityProof", cryptosuite: "eddsa-rdfc-2022" });
      expect(await verifies(org.slug, jwts.get(id)!, published.get(id)!)).toBe(true);
    }
    // The issuer API's view carries the proof as well.
    const view = (await (await call(e, `/v1/credentials/${ids[1]}`, { apiKey: org.apiKey })).json()) as { credential: { proof?: unknown } };
    expect(view.credential.proof).toEqual(stored.get(ids[1]!));
  });

  it("a redelivered credential.prove job, alone or twice at once, keeps every stored proof (same proofValue in the database and KV)", async () => {
    const { e, db, ids } = await issuedBatch(30);
    const jobs = e.JOBS.take().filter(isProve);
    await deliver(e, jobs);
    const first = await storedProofs(db, ids);
    expect(first.size).toBe(30);

    const again = await deliver(e, jobs, 2);
    expect(again.retryMessages).toEqual([]);
    // Two copies of one job at once: both may sign, only the first stored proof is kept and served.
    await db.delete(credentialProofs).where(inArray(credentialProofs.credentialId, jobs[0]!.credentialIds));
    const twice = await deliver(e, [jobs[0]!, jobs[0]!]);
    expect(twice.retryMessages).toEqual([]);

    const after = await storedProofs(db, ids);
    expect(await kvProofs(ids)).toEqual(after);
    const unchanged = ids.filter((id) => !jobs[0]!.credentialIds.includes(id));
    for (const id of unchanged) expect(after.get(id)).toEqual(first.get(id));
  });

  it("a lost credential.prove job is made good by the sweep once its batch is past the grace period; then the batch is marked done", async () => {
    const { e, db, batchId, ids } = await issuedBatch(40);
    e.JOBS.take(); // the prove jobs are lost
    // Within the grace period the sweep leaves this batch to its jobs.
    await sweepBatchProofs(e, log, { now: Date.now() });
    expect(e.JOBS.take().filter(isProve).flatMap((j) => j.credentialIds).filter((id) => ids.includes(id))).toEqual([]);

    // Long past it (the oldest completed batch, so this run reaches it whatever other tests left).
    datedBack.push(batchId);
    await db.update(batches).set({ completedAt: new Date(1_000) }).where(eq(batches.id, batchId));
    await sweepBatchProofs(e, log);
    const mine = e.JOBS.take().filter(isProve).map((j) => ({ ...j, credentialIds: j.credentialIds.filter((id) => ids.includes(id)) })).filter((j) => j.credentialIds.length > 0);
    expect(mine.flatMap((j) => j.credentialIds).sort()).toEqual([...ids].sort());
    await deliver(e, mine);
    expect((await kvProofs(ids)).size).toBe(40);

    await sweepBatchProofs(e, log);
    const [marked] = await db.select({ proofsDoneAt: batches.proofsDoneAt }).from(batches).where(eq(batches.id, batchId));
    expect(marked?.proofsDoneAt).not.toBeNull();
    expect(e.JOBS.take().filter(isProve).flatMap((j) => j.credentialIds).filter((id) => ids.includes(id))).toEqual([]);
  });

  it("one batch takes at most its share of a run: the batch after it is swept in the same run", async () => {
    const first = await issuedBatch(30);
    const second = await issuedBatch(30);
    first.e.JOBS.take();
    second.e.JOBS.take();
    datedBack.push(first.batchId, second.batchId);
    await first.db.update(batches).set({ completedAt: new Date(100) }).where(eq(batches.id, first.batchId));
    await first.db.update(batches).set({ completedAt: new Date(200) }).where(eq(batches.id, second.batchId));
    await sweepBatchProofs(first.e, log, { limits: { credentials: 40, perBatch: 20, batches: 10, inline: 10 } });
    const enqueued = first.e.JOBS.take().filter(isProve).flatMap((j) => j.credentialIds);
    expect(enqueued.filter((id) => first.ids.includes(id))).toEqual(first.ids.slice(0, 20));
    expect(enqueued.filter((id) => second.ids.includes(id))).toEqual(second.ids.slice(0, 20));
  });

  it("when the proofs queue refuses the sweep's jobs, the sweep proves a bounded number itself", async () => {
    const { e, db, batchId, ids } = await issuedBatch(30);
    e.JOBS.take();
    datedBack.push(batchId);
    await db.update(batches).set({ completedAt: new Date(500) }).where(eq(batches.id, batchId));
    e.JOBS.failNextSend = true;
    const report = await sweepBatchProofs(e, log, { limits: { credentials: 500, perBatch: 250, batches: 10, inline: 10 } });
    expect(report.enqueued).toBe(0);
    expect(report.provedInline).toBe(10);
    // The first rows of the oldest batch (this one) were proved here, in row order.
    expect([...(await kvProofs(ids)).keys()].sort()).toEqual(ids.slice(0, 10).sort());
    expect((await storedProofs(db, ids)).size).toBe(10);
  });
});
