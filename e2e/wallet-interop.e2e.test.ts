// Interop with the Digital Credentials Consortium's verifier (@digitalcredentials/verifier-core,
// the one inside its Learner Credential Wallet and VerifierPlus), against credentials the real
// local stack issued: `/c/:id.json` (with its Data Integrity proof) verifies, for a credential
// issued alone and for one issued in a batch (proved by its own credential.prove job), then reports
// revoked once the issuer revokes it.
//
// What the library needs: it takes no document loader or DID resolver (its loader is built inside
// the module), and its did:web driver always resolves over https. So the test answers the
// library's HTTP requests at the fetch level: https requests to the edge's host go to the edge
// over http, the OB 3.0 JSON schema it checks against is answered from the repository's copy, and
// anything else is refused (no internet: every JSON-LD context it needs is bundled in it).
import { readFile } from "node:fs/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { OB_ACHIEVEMENT_CREDENTIAL_SCHEMA } from "../shared/credential/constants.ts";
import { createAchievement, createOrg, issueCredential, revokeCredential, type IssuedCredential } from "./support/issuer-api.ts";
import { startStack, type RunningStack } from "./support/stack.ts";

let stack: RunningStack;
let apiKey: string;
let issued: IssuedCredential;
const realFetch = globalThis.fetch;
const refused: string[] = [];
let schemaJson: string;

type VerifierCore = typeof import("@digitalcredentials/verifier-core");
let verifier: VerifierCore;

/** The library's fetches, answered by the local stack only (see the file comment). */
function localFetch(edgeUrl: string): typeof fetch {
  const edge = new URL(edgeUrl);
  return async (input, init) => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    if (url.href === OB_ACHIEVEMENT_CREDENTIAL_SCHEMA) return new Response(schemaJson, { headers: { "content-type": "application/json" } });
    if (url.host === edge.host) {
      url.protocol = edge.protocol;
      return realFetch(input instanceof Request ? new Request(url, input) : url, init);
    }
    // The test's own calls to the local stack (the issuer API).
    if (url.hostname === edge.hostname) return realFetch(input, init);
    refused.push(url.href);
    throw new TypeError(`no network in this test: ${url.href}`);
  };
}

/** GET the edge until `ok(res, body)` holds (publication arrives through the queue). */
async function poll<T>(path: string, accept: string, ok: (status: number, body: string) => T | null): Promise<T> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const res = await realFetch(`${stack.edgeUrl}${path}`, { headers: { accept } });
    const found = ok(res.status, await res.text());
    if (found !== null) return found;
    if (Date.now() > deadline) throw new Error(`GET ${path} never reached the expected state (last ${res.status})`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

/** Issues a small batch through the issuer API, waits until it completes; returns its credential ids. */
async function issueBatch(achievementId: string, names: string[]): Promise<string[]> {
  const headers = { authorization: `Bearer ${apiKey}`, "content-type": "application/json" };
  const recipients = names.map((name, i) => ({ name, email: `batch-${i}@example.com` }));
  const res = await realFetch(`${stack.originUrl}/v1/credentials/batch`, {
    method: "POST",
    headers: { ...headers, "idempotency-key": crypto.randomUUID() },
    body: JSON.stringify({ achievementId, recipients }),
  });
  expect(res.status).toBe(202);
  const { id } = (await res.json()) as { id: string };
  const deadline = Date.now() + 60_000;
  for (;;) {
    const state = (await (await realFetch(`${stack.originUrl}/v1/batches/${id}`, { headers })).json()) as { status: string; issued: number };
    if (state.status === "completed") break;
    if (Date.now() > deadline) throw new Error(`batch ${id} not completed: ${JSON.stringify(state)}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  const list = (await (await realFetch(`${stack.originUrl}/v1/credentials?achievementId=${achievementId}&limit=100`, { headers })).json()) as { data: { id: string }[] };
  return list.data.map((c) => c.id);
}

/** The credential as verifier-core takes it (the JSON is read loosely here: it is the edge's answer). */
type Credential = Parameters<VerifierCore["verifyCredential"]>[0]["credential"];

/** The credential JSON once its Data Integrity proof is published. */
function securedCredential(id: string): Promise<Credential> {
  return poll(`/c/${id}.json`, "application/json", (status, body) => {
    if (status !== 200) return null;
    const json = JSON.parse(body) as Credential;
    return json.proof ? json : null;
  });
}

function stepsOf(result: any): Record<string, boolean> {
  if (result.errors) throw new Error(`verifier-core failed: ${JSON.stringify(result.errors.map((e: any) => [e.name, e.message]))}`);
  return Object.fromEntries((result.log as { id: string; valid: boolean }[]).map((s) => [s.id, s.valid]));
}

beforeAll(async () => {
  schemaJson = await readFile(new URL("../shared/credential/schema/ob_v3p0_achievementcredential_schema.json", import.meta.url), "utf8");
  stack = await startStack({ timeoutMs: 240_000 }); // generous: the machine is shared
  globalThis.fetch = localFetch(stack.edgeUrl);
  verifier = await import("@digitalcredentials/verifier-core");
  const org = await createOrg(stack, "Interop Institute", `interop-${crypto.randomUUID().slice(0, 8)}`);
  apiKey = org.apiKey;
  const achievement = await createAchievement(stack, apiKey, {
    name: "Wallet Interop",
    description: "Held in a Data Integrity wallet.",
    criteria: { narrative: "Verified by the DCC's own verifier." },
  });
  issued = await issueCredential(stack, apiKey, { achievementId: achievement.id, recipient: { name: "Grace Hopper", email: "grace@example.com" } });
}, 300_000);

afterAll(async () => {
  globalThis.fetch = realFetch;
  await stack?.dispose();
});

describe("@digitalcredentials/verifier-core against Laurel credentials", () => {
  it("verifies /c/:id.json: signature valid, not expired, not revoked", async () => {
    const credential = await securedCredential(issued.id);
    expect(credential.proof).toMatchObject({ type: "DataIntegrityProof", cryptosuite: "eddsa-rdfc-2022", proofPurpose: "assertionMethod" });
    const steps = stepsOf(await verifier.verifyCredential({ credential, knownDIDRegistries: [] }));
    expect(steps).toMatchObject({ valid_signature: true, expiration: true, revocation_status: true });
    // No registry lists this test issuer (and none was given).
    expect(steps.registered_issuer).toBe(false);
    expect(refused).toEqual([]);
  });

  it("verifies a batch-issued credential's /c/:id.json once its credential.prove job published the proof", async () => {
    const achievement = await createAchievement(stack, apiKey, {
      name: "Wallet Interop (batch)",
      description: "Issued in a batch, held in a Data Integrity wallet.",
      criteria: { narrative: "Verified by the DCC's own verifier." },
    });
    const ids = await issueBatch(achievement.id, ["Katherine Johnson", "Dorothy Vaughan"]);
    expect(ids.length).toBe(2);
    const credential = await securedCredential(ids[1]!);
    expect(credential.proof).toMatchObject({ type: "DataIntegrityProof", cryptosuite: "eddsa-rdfc-2022" });
    const steps = stepsOf(await verifier.verifyCredential({ credential, knownDIDRegistries: [] }));
    expect(steps).toMatchObject({ valid_signature: true, expiration: true, revocation_status: true });
    expect(refused).toEqual([]);
  });

  it("rejects a tampered credential's signature", async () => {
    const credential = await securedCredential(issued.id);
    (credential as any).credentialSubject.achievement.name = "Something Else";
    const result = (await verifier.verifyCredential({ credential, knownDIDRegistries: [] })) as any;
    const signature = result.log?.find((s: any) => s.id === "valid_signature");
    expect(result.errors !== undefined || signature?.valid === false).toBe(true);
  });

  it("reports revoked once the issuer revokes it (the JSON-LD status list by content negotiation)", async () => {
    await revokeCredential(stack, apiKey, issued.id, "Issued in error");
    const credential = await securedCredential(issued.id);
    const listPath = new URL((credential as any).credentialStatus.statusListCredential).pathname;
    // The list reaches the edge on its own path: wait until the JSON-LD list shows the bit.
    const deadline = Date.now() + 60_000;
    for (;;) {
      const steps = stepsOf(await verifier.verifyCredential({ credential, knownDIDRegistries: [] }));
      expect(steps.valid_signature).toBe(true);
      if (steps.revocation_status === false) break;
      if (Date.now() > deadline) throw new Error(`still not revoked at ${listPath}`);
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    expect(refused).toEqual([]);
  });
});
