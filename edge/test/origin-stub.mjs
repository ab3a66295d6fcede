// Test double of the origin's EdgeApi entrypoint (shared/origin-rpc.ts) for the edge project: it
// answers from projections the test seeds and records every call, so tests can assert how often
// the edge reached the origin. Extra `test*` methods are test controls, not part of EdgeApiRpc.
import { WorkerEntrypoint } from "cloudflare:workers";

const state = { credentials: {}, issuers: {}, lists: {}, cards: {}, certificates: {}, calls: [], scans: {}, counts: {}, flushIds: [], down: false, loseAnswer: false, hold: null, released: false };

// A held call polls with its own timers (no promise resolved from another request's context).
async function waitForRelease() {
  const until = Date.now() + 20_000;
  while (!state.released && Date.now() < until) await new Promise((resolve) => setTimeout(resolve, 20));
}

// `caller`: the RpcCaller the edge passed as the last argument (its span and request id).
async function answer(method, key, table, caller) {
  state.calls.push({ method, key, caller });
  if (state.hold === method) {
    state.hold = null;
    await waitForRelease();
  }
  if (state.down) throw new Error("origin is down (test)");
  return table[key] ?? null;
}

export class EdgeApi extends WorkerEntrypoint {
  async credentialProjection(id, caller) {
    return answer("credentialProjection", id, state.credentials, caller);
  }
  async issuerProjection(slug, caller) {
    return answer("issuerProjection", slug, state.issuers, caller);
  }
  async statusListProjection(listId, caller) {
    return answer("statusListProjection", listId, state.lists, caller);
  }
  async renderCard(id, caller) {
    const bytes = await answer("renderCard", id, state.cards, caller);
    return bytes ? new Uint8Array(bytes).buffer : null;
  }
  /** Seeded as `{pdf: number[], metadata}`; answered as the RPC does, `{pdf: ArrayBuffer, metadata}`. */
  async renderCertificate(id, caller) {
    const seeded = await answer("renderCertificate", id, state.certificates, caller);
    return seeded ? { pdf: new Uint8Array(seeded.pdf).buffer, metadata: seeded.metadata } : null;
  }
  async recordScans(counts, caller) {
    state.calls.push({ method: "recordScans", key: JSON.stringify(counts), caller });
    if (state.down) throw new Error("origin is down (test)");
    for (const [id, n] of Object.entries(counts)) state.scans[id] = (state.scans[id] ?? 0) + n;
  }
  /** Like the origin: a flush id is applied once; `loseAnswer` applies the flush and then fails the call. */
  async recordCounts(flush, caller) {
    state.calls.push({ method: "recordCounts", key: JSON.stringify(flush), caller });
    if (state.down) throw new Error("origin is down (test)");
    if (state.flushIds.includes(flush.flushId)) return { applied: false };
    state.flushIds.push(flush.flushId);
    for (const row of flush.rows) {
      const counts = (state.counts[row.credentialId] ??= {});
      for (const [column, n] of Object.entries(row.counts)) counts[column] = (counts[column] ?? 0) + n;
    }
    if (state.loseAnswer) throw new Error("answer lost (test)");
    return { applied: true };
  }
  async testCounts() {
    return state.counts;
  }
  async testLoseAnswers(lose) {
    state.loseAnswer = lose;
  }
  async testSeed(seed) {
    for (const table of ["credentials", "issuers", "lists", "cards", "certificates"]) Object.assign(state[table], seed[table] ?? {});
  }
  async testCalls() {
    return state.calls;
  }
  async testScans() {
    return state.scans;
  }
  async testSetDown(down) {
    state.down = down;
  }
  /** The next call of `method` waits until testRelease() (or 20 s). */
  async testHoldNext(method) {
    Object.assign(state, { hold: method, released: false });
  }
  async testRelease() {
    state.released = true;
  }
  async testReset() {
    Object.assign(state, { credentials: {}, issuers: {}, lists: {}, cards: {}, certificates: {}, calls: [], scans: {}, counts: {}, flushIds: [], down: false, loseAnswer: false, hold: null, released: true });
  }
}

export default { fetch: () => new Response(null, { status: 404 }) };
