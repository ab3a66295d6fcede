// The BitstringStatusListCredential (Bitstring Status List v1.0 §2.2), secured as a VC-JWT.

import { VC_V2_CONTEXT, REVOCATION_PURPOSE } from "../credential/constants.ts";
import { toDateTimeStamp } from "../credential/dates.ts";
import { signCredentialJwt, type SigningKey } from "../vc-jwt/sign.ts";
import { encodeStatusList } from "./codec.ts";

/** A BitstringStatusListCredential (Bitstring Status List v1.0 §2.2, Example 3). */
export interface StatusListCredential {
  "@context": string[];
  id: string;
  type: string[];
  issuer: string | { id: string; name?: string };
  validFrom: string;
  validUntil?: string;
  credentialSubject: {
    id: string;
    type: "BitstringStatusList";
    statusPurpose: string;
    encodedList: string;
    ttl?: number;
  };
}

/** Inputs of `buildStatusListCredential`; `listUrl` is `<PUBLIC_BASE_URL>/status/<list id>`. */
export interface StatusListInput {
  listUrl: string;
  issuer: string | { id: string; name?: string };
  bits: Uint8Array<ArrayBuffer>;
  validFrom?: Date | string;
  validUntil?: Date | string;
  /** Refresh hint in milliseconds (Bitstring Status List v1.0 §2.2 `ttl`). */
  ttl?: number;
}

/**
 * Builds the revocation BitstringStatusListCredential (Bitstring Status List v1.0 §2.2): id = the
 * list URL, subject `<url>#list` of type BitstringStatusList with the GZIP+base64url encodedList.
 */
export async function buildStatusListCredential(input: StatusListInput): Promise<StatusListCredential> {
  const vc: StatusListCredential = {
    "@context": [VC_V2_CONTEXT],
    id: input.listUrl,
    type: ["VerifiableCredential", "BitstringStatusListCredential"],
    issuer: input.issuer,
    validFrom: toDateTimeStamp(input.validFrom ?? new Date()),
    credentialSubject: {
      id: `${input.listUrl}#list`,
      type: "BitstringStatusList",
      statusPurpose: REVOCATION_PURPOSE,
      encodedList: await encodeStatusList(input.bits),
    },
  };
  if (input.validUntil !== undefined) vc.validUntil = toDateTimeStamp(input.validUntil);
  if (input.ttl !== undefined) vc.credentialSubject.ttl = input.ttl;
  return vc;
}

/** Builds and signs the status list credential as a VC-JWT with the issuer's key (VC-JOSE-COSE §3.1.1). */
export async function signStatusList(input: StatusListInput, key: SigningKey): Promise<string> {
  const vc = await buildStatusListCredential(input);
  return signCredentialJwt(vc, key);
}
