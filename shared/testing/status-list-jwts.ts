// Test-only: status list VC-JWTs as other issuers' software may sign them, e.g. without the
// optional `sub` claim, and with any validity period. Runs in Node and workerd alike.

import { importJWK, SignJWT, type JWK } from "jose";
import { createBitstring, setBit } from "../status-list/bitstring.ts";
import { buildStatusListCredential } from "../status-list/credential.ts";

/** What to sign: the list URL and issuer, revoked indexes, validity period, whether to carry `sub`. */
export interface ListJwtInput {
  listUrl: string;
  issuerDid: string;
  key: { keyId: string; privateJwk: JWK };
  revoked?: number[];
  validFrom?: Date | string;
  validUntil?: Date | string;
  /** Default true; false leaves `sub` out, as VC-JOSE-COSE allows. */
  withSub?: boolean;
  /** Overrides the `sub` claim (to test a mismatch). */
  sub?: string;
}

const seconds = (iso: string) => Math.floor(Date.parse(iso) / 1000);

/** A BitstringStatusListCredential VC-JWT signed with jose directly, claims chosen by the test. */
export async function signListJwt(input: ListJwtInput): Promise<string> {
  const bits = createBitstring();
  for (const i of input.revoked ?? []) setBit(bits, i);
  const vc = await buildStatusListCredential({
    listUrl: input.listUrl,
    issuer: input.issuerDid,
    bits,
    validFrom: input.validFrom ?? new Date(Date.now() - 3600_000),
    validUntil: input.validUntil,
  });
  const payload: Record<string, unknown> = { ...vc, iss: input.issuerDid, jti: vc.id, nbf: seconds(vc.validFrom) };
  if (vc.validUntil) payload.exp = seconds(vc.validUntil);
  if (input.sub !== undefined) payload.sub = input.sub;
  else if (input.withSub ?? true) payload.sub = vc.credentialSubject.id;
  return new SignJWT(payload)
    .setProtectedHeader({ alg: "ES256", typ: "JWT", kid: `${input.issuerDid}#${input.key.keyId}` })
    .sign(await importJWK(input.key.privateJwk, "ES256"));
}
