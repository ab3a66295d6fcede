// Edge test fixtures: an issuer hosted by the test deployment (PUBLIC_BASE_URL), credentials and
// status lists signed with shared/ code, and helpers that seed KV, the authority DO and the origin stub.
import { env, SELF } from "cloudflare:test";
import { buildCredential, type BuildCredentialInput } from "../../shared/credential/build.ts";
import { generateIssuerKey, type IssuerKeyPair } from "../../shared/keys/generate.ts";
import { issuerDid } from "../../shared/keys/did-web.ts";
import { buildDidDocument, buildJwks } from "../../shared/keys/did-document.ts";
import { kvKeys, type CertificateMetadata, type CredentialProjection, type IssuerProjection, type StatusListProjection } from "../../shared/kv-keys.ts";
import { createBitstring, setBit } from "../../shared/status-list/bitstring.ts";
import { signStatusList } from "../../shared/status-list/credential.ts";
import { signCredentialJwt } from "../../shared/vc-jwt/sign.ts";
import type { CountColumn, EdgeApiRpc, RpcCaller } from "../../shared/origin-rpc.ts";
import type { EdgeEnv } from "../env.ts";

export const testEnv = env as unknown as EdgeEnv;
export const BASE = testEnv.PUBLIC_BASE_URL!;

/** The origin stub's test controls (edge/test/origin-stub.mjs). */
export interface OriginStub extends EdgeApiRpc {
  testSeed(seed: {
    credentials?: Record<string, CredentialProjection>;
    issuers?: Record<string, IssuerProjection>;
    lists?: Record<string, StatusListProjection>;
    cards?: Record<string, number[]>;
    certificates?: Record<string, { pdf: number[]; metadata: CertificateMetadata }>;
  }): Promise<void>;
  /** Every call, with the caller context the edge passed (absent when it passed none). */
  testCalls(): Promise<{ method: string; key: string; caller?: RpcCaller }[]>;
  testScans(): Promise<Record<string, number>>;
  /** What recordCounts added, per credential id and column (each flush id applied once). */
  testCounts(): Promise<Record<string, Partial<Record<CountColumn, number>>>>;
  /** recordCounts applies each flush, then fails the call (the answer is lost). */
  testLoseAnswers(lose: boolean): Promise<void>;
  testSetDown(down: boolean): Promise<void>;
  testHoldNext(method: keyof EdgeApiRpc): Promise<void>;
  testRelease(): Promise<void>;
  testReset(): Promise<void>;
}
export const origin = testEnv.ORIGIN as unknown as OriginStub;

export interface Issuer {
  slug: string;
  did: string;
  key: IssuerKeyPair;
  projection: IssuerProjection;
}

export async function makeIssuer(slug = `org-${crypto.randomUUID().slice(0, 8)}`, baseUrl = BASE): Promise<Issuer> {
  const did = issuerDid(baseUrl, slug);
  const key = await generateIssuerKey();
  const projection: IssuerProjection = {
    slug,
    did,
    name: `${slug} Academy`,
    didDocument: buildDidDocument(did, [key.publicJwk]) as unknown as Record<string, unknown>,
    jwks: buildJwks(did, [key.publicJwk]) as unknown as { keys: Record<string, unknown>[] },
    version: 1,
  };
  return { slug, did, key, projection };
}

export function listUrl(listId: string, baseUrl = BASE): string {
  return `${baseUrl}/status/${listId}`;
}

export async function signList(issuer: Issuer, listId: string, revoked: number[] = [], baseUrl = BASE): Promise<string> {
  const bits = createBitstring();
  for (const i of revoked) setBit(bits, i);
  return signStatusList(
    { listUrl: listUrl(listId, baseUrl), issuer: issuer.did, bits, validFrom: new Date(Date.now() - 3600_000) },
    { keyId: issuer.key.keyId, privateKey: issuer.key.privateJwk },
  );
}

export async function listProjection(
  issuer: Issuer,
  listId: string,
  revoked: Record<number, string> = {},
  version = 1,
): Promise<StatusListProjection> {
  const indexes = Object.keys(revoked).map(Number);
  return {
    id: listId,
    orgSlug: issuer.slug,
    issuerDid: issuer.did,
    jwt: await signList(issuer, listId, indexes),
    reasons: Object.fromEntries(Object.entries(revoked)),
    version,
    updatedAt: new Date().toISOString(),
  };
}

export interface Issued {
  id: string;
  jwt: string;
  projection: CredentialProjection;
}

/** Builds and signs a credential of `issuer` on list `listId` at `index`. */
export async function issueCredential(
  issuer: Issuer,
  listId: string,
  index: number,
  over: Partial<BuildCredentialInput> = {},
  baseUrl = BASE,
): Promise<Issued> {
  const id = over.id ?? crypto.randomUUID();
  const credential = await buildCredential({
    id,
    issuer: { id: issuer.did, name: issuer.projection.name },
    achievement: {
      id: `${baseUrl}/achievements/${crypto.randomUUID()}`,
      name: "Edge Caching 101",
      description: "Served a spike without touching the origin.",
      criteria: { narrative: "Pass the load test." },
    },
    recipient: { name: "Grace Hopper", email: "grace@example.com" },
    status: { statusListCredential: listUrl(listId, baseUrl), statusListIndex: index },
    validFrom: new Date(Date.now() - 3600_000),
    ...over,
  });
  const jwt = await signCredentialJwt(credential, { keyId: issuer.key.keyId, privateKey: issuer.key.privateJwk });
  const projection: CredentialProjection = {
    id,
    jwt,
    orgSlug: issuer.slug,
    issuer: { id: issuer.did, name: issuer.projection.name },
    achievement: { id: credential.credentialSubject.achievement.id, name: "Edge Caching 101", description: "", criteria: "" },
    recipientName: "Grace Hopper",
    validFrom: credential.validFrom,
    ...(credential.validUntil ? { validUntil: credential.validUntil } : {}),
    statusListId: listId,
    statusIndex: index,
    issuedAt: new Date().toISOString(),
    version: 1,
  };
  return { id, jwt, projection };
}

export async function putIssuer(issuer: Issuer): Promise<void> {
  await testEnv.PROJECTIONS.put(kvKeys.issuer(issuer.slug), JSON.stringify(issuer.projection));
}

export async function putCredential(issued: Issued): Promise<void> {
  await testEnv.PROJECTIONS.put(kvKeys.credential(issued.id), JSON.stringify(issued.projection));
}

export async function putListInKv(list: StatusListProjection): Promise<void> {
  await testEnv.PROJECTIONS.put(kvKeys.statusList(list.id), JSON.stringify(list));
}

export async function pushListToAuthority(list: StatusListProjection) {
  return testEnv.STATUS_LISTS.get(testEnv.STATUS_LISTS.idFromName(list.id)).publish(list);
}

/** One issuer, one list (authority + KV), one credential per index, all seeded. */
export async function seedWorld(opts: { revoked?: Record<number, string>; count?: number } = {}) {
  const issuer = await makeIssuer();
  const listId = crypto.randomUUID();
  const list = await listProjection(issuer, listId, opts.revoked ?? {});
  await putIssuer(issuer);
  await putListInKv(list);
  await pushListToAuthority(list);
  const creds: Issued[] = [];
  for (let i = 0; i < (opts.count ?? 1); i++) {
    const issued = await issueCredential(issuer, listId, i);
    await putCredential(issued);
    creds.push(issued);
  }
  return { issuer, listId, list, creds };
}

let anonymousClients = 0;

/**
 * Calls the edge Worker at `path` of the test deployment. A call that names no client address
 * comes from a new one (198.18.0.0/15, the benchmarking range): test files share an isolate, and
 * with it the rate limiter's buckets, so one shared "unidentified" client would run out.
 */
export function call(path: string, init?: RequestInit): Promise<Response> {
  const headers = new Headers(init?.headers);
  if (!headers.has("cf-connecting-ip")) {
    const n = anonymousClients++;
    headers.set("cf-connecting-ip", `198.${18 + ((n >> 16) & 1)}.${(n >> 8) & 255}.${n & 255}`);
  }
  return SELF.fetch(`${BASE}${path}`, { ...init, headers });
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
