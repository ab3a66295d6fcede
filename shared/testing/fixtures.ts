// Test fixtures shared by the shared/ test suites: an issuer with keys, a signed credential and a
// signed status list, plus in-memory resolvers. Test-only; runs in Node and workerd alike.

import type { JWK } from "jose";
import { buildCredential, type BuildCredentialInput } from "../credential/build.ts";
import type { OpenBadgeCredential } from "../credential/types.ts";
import { generateIssuerKey, type IssuerKeyPair } from "../keys/generate.ts";
import { issuerDid } from "../keys/did-web.ts";
import { buildJwks } from "../keys/did-document.ts";
import { createBitstring, setBit } from "../status-list/bitstring.ts";
import { signStatusList } from "../status-list/credential.ts";
import { signCredentialJwt } from "../vc-jwt/sign.ts";
import type { SigningAlgorithm } from "../vc-jwt/constants.ts";
import { createStatusResolver } from "../verify/status.ts";
import type { VerifyCredentialOptions } from "../verify/types.ts";

/** Base URL used by every fixture. */
export const BASE_URL = "https://badges.example.org";

/** An issuer with one key and the resolvers a verifier needs. */
export interface TestIssuer {
  did: string;
  name: string;
  key: IssuerKeyPair;
  jwks: { keys: JWK[] };
  resolveIssuerKeys: (did: string) => JWK[] | null;
}

/** Makes an issuer `did:web:badges.example.org:issuers:<slug>` with a fresh key. */
export async function makeIssuer(slug = "acme", alg: SigningAlgorithm = "ES256"): Promise<TestIssuer> {
  const did = issuerDid(BASE_URL, slug);
  const key = await generateIssuerKey({ alg });
  const jwks = buildJwks(did, [key.publicJwk]);
  return { did, name: `${slug} University`, key, jwks, resolveIssuerKeys: (d) => (d === did ? jwks.keys : null) };
}

/** Credential inputs for `issuer`, overridable. */
export function credentialInput(issuer: TestIssuer, over: Partial<BuildCredentialInput> = {}): BuildCredentialInput {
  return {
    issuer: { id: issuer.did, name: issuer.name, url: "https://acme.example.edu" },
    achievement: {
      id: `${BASE_URL}/achievements/3f1c1f7e-2b7d-4a53-9a7e-0c5a3c1b2d4e`,
      name: "Intro to Cryptography",
      description: "Completed the introductory cryptography course.",
      criteria: { narrative: "Pass all four assignments and the final exam." },
      image: { id: `${BASE_URL}/img/crypto.png`, type: "Image" },
      tags: ["crypto", "security"],
    },
    recipient: { name: "Ada Lovelace", email: "ada@example.com" },
    status: { statusListCredential: `${BASE_URL}/status/list-1`, statusListIndex: 42 },
    validFrom: new Date(Date.now() - 3600_000),
    ...over,
  };
}

/** Builds and signs a credential. */
export async function issue(
  issuer: TestIssuer,
  over: Partial<BuildCredentialInput> = {},
): Promise<{ credential: OpenBadgeCredential; jwt: string }> {
  const credential = await buildCredential(credentialInput(issuer, over));
  const jwt = await signCredentialJwt(credential, { keyId: issuer.key.keyId, privateKey: issuer.key.privateJwk });
  return { credential, jwt };
}

/** Signs `list-1` of `issuer` with the given indexes revoked. */
export async function signedList(issuer: TestIssuer, revoked: number[] = [], listUrl = `${BASE_URL}/status/list-1`): Promise<string> {
  const bits = createBitstring();
  for (const i of revoked) setBit(bits, i);
  return signStatusList(
    { listUrl, issuer: issuer.did, bits, validFrom: new Date(Date.now() - 3600_000) },
    { keyId: issuer.key.keyId, privateKey: issuer.key.privateJwk },
  );
}

/** Verifier options with keys from `issuer` and status from in-memory list JWTs keyed by URL. */
export function optionsFor(issuer: TestIssuer, lists: Record<string, string> = {}): VerifyCredentialOptions {
  return {
    resolveIssuerKeys: issuer.resolveIssuerKeys,
    resolveStatus: createStatusResolver((url) => lists[url] ?? null, { resolveIssuerKeys: issuer.resolveIssuerKeys }),
  };
}
