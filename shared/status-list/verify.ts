// Verifies a status list VC-JWT and answers a credential's entry from it
// (Bitstring Status List v1.0 §3.2 Validate Algorithm).

import { issuerIdOf } from "../credential/shape.ts";
import type { StatusEntry } from "../credential/types.ts";
import { CheckList } from "../vc-jwt/check-list.ts";
import { verifyVcJwt, type VcJwtOptions } from "../vc-jwt/verify.ts";
import { decodeStatusList, MAX_DECODED_LIST_BYTES } from "./codec.ts";
import { getBit } from "./bitstring.ts";

/** Status list JWTs may be larger than credentials: up to 2 MiB before parsing. */
export const MAX_STATUS_LIST_JWT_BYTES = 2 * 1024 * 1024;

/** A status list whose signature, claims and validity period checked out. */
export interface VerifiedStatusList {
  id: string;
  issuerId: string;
  statusPurpose: string;
  bits: Uint8Array;
  validUntil?: string;
}

/** Thrown when a status list cannot be trusted or cannot answer an entry; maps to `unknown`. */
export class StatusListError extends Error {
  override readonly name = "StatusListError";
}

type Obj = Record<string, unknown>;

/**
 * Verifies a BitstringStatusListCredential VC-JWT (same rules as credentials: alg, typ, kid,
 * signature, claims, validity) and decodes its list (Bitstring Status List v1.0 §3.2 steps 1-8).
 * Throws StatusListError with the reason when any of it fails.
 */
export async function verifyStatusList(jwt: string, opts: VcJwtOptions): Promise<VerifiedStatusList> {
  const list = new CheckList();
  const { payload, signatureVerified } = await verifyVcJwt(jwt, { ...opts, maxBytes: opts.maxBytes ?? MAX_STATUS_LIST_JWT_BYTES }, list);
  const failed = list.checks.find((c) => !c.ok);
  if (failed || !signatureVerified || !payload) {
    throw new StatusListError(`status list rejected: ${failed ? `${failed.name}: ${failed.detail}` : "not verified"}`);
  }
  const type = payload.type;
  if (!Array.isArray(type) || !type.includes("BitstringStatusListCredential")) {
    throw new StatusListError("status list type must include BitstringStatusListCredential");
  }
  const subject = payload.credentialSubject as Obj | undefined;
  if (typeof subject !== "object" || subject === null || subject.type !== "BitstringStatusList") {
    throw new StatusListError("status list credentialSubject.type must be BitstringStatusList");
  }
  if (typeof subject.statusPurpose !== "string" || typeof subject.encodedList !== "string") {
    throw new StatusListError("status list statusPurpose/encodedList missing");
  }
  let bits: Uint8Array;
  try {
    bits = await decodeStatusList(subject.encodedList, MAX_DECODED_LIST_BYTES);
  } catch (e) {
    throw new StatusListError(e instanceof Error ? e.message : String(e));
  }
  const result: VerifiedStatusList = {
    id: String(payload.id),
    issuerId: issuerIdOf(payload.issuer) ?? "",
    statusPurpose: subject.statusPurpose,
    bits,
  };
  if (typeof payload.validUntil === "string") result.validUntil = payload.validUntil;
  return result;
}

/**
 * Answers one credential's entry from a verified list (Bitstring Status List v1.0 §3.2 steps 5-10):
 * same list URL, same statusPurpose, same issuer as the credential, index within the list.
 */
export function checkStatusEntry(entry: StatusEntry, list: VerifiedStatusList, credentialIssuerId: string): { bitSet: boolean } {
  if (entry.statusListCredential !== list.id) {
    throw new StatusListError(`status list id ${list.id} does not match ${entry.statusListCredential}`);
  }
  if (entry.statusPurpose !== list.statusPurpose) {
    throw new StatusListError(`status purpose ${entry.statusPurpose} does not match list purpose ${list.statusPurpose}`);
  }
  if (list.issuerId !== credentialIssuerId) {
    throw new StatusListError(`status list issuer ${list.issuerId} is not the credential issuer ${credentialIssuerId}`);
  }
  const index = Number(entry.statusListIndex);
  if (!/^(0|[1-9]\d*)$/.test(entry.statusListIndex) || !Number.isSafeInteger(index) || index >= list.bits.length * 8) {
    throw new StatusListError(`statusListIndex ${entry.statusListIndex} is outside the list (${list.bits.length * 8} entries)`);
  }
  return { bitSet: getBit(list.bits, index) };
}
