// Verifies a status list VC-JWT and answers a credential's entry from it
// (Bitstring Status List v1.0 §3.2 Validate Algorithm).

import { parseDateTimeStamp } from "../credential/dates.ts";
import { issuerIdOf } from "../credential/shape.ts";
import type { StatusEntry } from "../credential/types.ts";
import { CheckList } from "../vc-jwt/check-list.ts";
import { CLOCK_TOLERANCE_SECONDS } from "../vc-jwt/constants.ts";
import { checkDates, verifyVcJwt, type VcJwtOptions } from "../vc-jwt/verify.ts";
import { parseProof } from "../data-integrity/eddsa-rdfc-2022.ts";
import { verifyDataIntegrity } from "../data-integrity/verify.ts";
import { MAX_JSON_DEPTH, parseJsonBounded } from "../json-bounded.ts";
import { findDataIntegrityKey } from "../verify/data-integrity-key.ts";
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
  /** When the issuer signed this state of the list: answers from it hold "as of" this time. */
  validFrom: string;
  validUntil?: string;
}

/** The clock a status list is judged by (defaults: now, 60 s tolerance). */
export interface StatusListClock {
  now?: Date | number;
  clockToleranceSeconds?: number;
}

/** An entry's answer from a list: whether its bit is set, as of the list's validFrom. */
export interface StatusEntryAnswer {
  bitSet: boolean;
  asOf: string;
}

/** Thrown when a status list cannot be trusted or cannot answer an entry; maps to `unknown`. */
export class StatusListError extends Error {
  override readonly name = "StatusListError";
}

type Obj = Record<string, unknown>;

// Why a list failed its JWT checks, in the words a result shows. An expired list is named as such:
// answering from it would let an old list be replayed to hide a later revocation.
function rejection(list: CheckList, payload: Obj | undefined, signatureVerified: boolean): string | null {
  const failed = list.checks.find((c) => !c.ok);
  if (!failed && signatureVerified && payload) return null;
  if (signatureVerified && !list.has("invalid")) {
    if (list.has("expired")) return `status list expired at ${String(payload?.validUntil)}`;
    if (list.has("not_yet_valid")) return `status list not valid before ${String(payload?.validFrom)}`;
  }
  return `status list rejected: ${failed ? `${failed.name}: ${failed.detail}` : "not verified"}`;
}

// The list's credential from its VC-JWT (same rules as credentials: alg, typ, kid, signature,
// claims, validity). `sub` is optional here (VC-JOSE-COSE makes JWT claims optional).
async function verifiedJwtList(jwt: string, opts: VcJwtOptions): Promise<Obj> {
  const list = new CheckList();
  const { payload, signatureVerified } = await verifyVcJwt(
    jwt,
    { ...opts, maxBytes: opts.maxBytes ?? MAX_STATUS_LIST_JWT_BYTES, subjectClaim: "optional" },
    list,
  );
  const problem = rejection(list, payload, signatureVerified);
  if (problem || !payload) throw new StatusListError(problem ?? "status list rejected: not verified");
  return payload;
}

// The list's credential from its JSON-LD form with an embedded Data Integrity proof (the
// `Accept: application/vc+ld+json` answer of a status list URL): the issuer's Ed25519 key, the
// signature, then the same validity checks as the VC-JWT.
async function verifiedDataIntegrityList(text: string, opts: VcJwtOptions): Promise<Obj> {
  const max = opts.maxBytes ?? MAX_STATUS_LIST_JWT_BYTES;
  if (text.length > max) throw new StatusListError(`status list rejected: ${text.length} characters, limit ${max}`);
  const parsed = parseJsonBounded(text, MAX_JSON_DEPTH);
  if (!parsed.ok || typeof parsed.value !== "object" || parsed.value === null || Array.isArray(parsed.value)) {
    throw new StatusListError("status list rejected: not a JSON object");
  }
  const credential = parsed.value as Obj;
  const list = new CheckList();
  let vm: string;
  try {
    vm = parseProof(credential.proof).options.verificationMethod;
  } catch (e) {
    throw new StatusListError(`status list rejected: proof: ${e instanceof Error ? e.message : String(e)}`);
  }
  const key = await findDataIntegrityKey(issuerIdOf(credential.issuer), vm, opts);
  if ("outcome" in key) throw new StatusListError(`status list rejected: key: ${key.detail}`);
  const outcome = await verifyDataIntegrity(credential, async (m) => (m === vm ? key : null));
  if (!outcome.verified) throw new StatusListError(`status list rejected: signature: ${outcome.error}`);
  checkDates(credential, opts, list);
  const problem = rejection(list, credential, true);
  if (problem) throw new StatusListError(problem);
  return credential;
}

/**
 * Verifies a BitstringStatusListCredential, given as a VC-JWT or as JSON-LD with a Data Integrity
 * proof (eddsa-rdfc-2022), and decodes its list (Bitstring Status List v1.0 §3.2 steps 1-8).
 * Throws StatusListError with the reason when any of it fails ("status list expired at <time>").
 */
export async function verifyStatusList(secured: string, opts: VcJwtOptions): Promise<VerifiedStatusList> {
  const payload = secured.trimStart().startsWith("{") ? await verifiedDataIntegrityList(secured, opts) : await verifiedJwtList(secured, opts);
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
    validFrom: String(payload.validFrom),
  };
  if (typeof payload.validUntil === "string") result.validUntil = payload.validUntil;
  return result;
}

/**
 * Throws "status list expired at <validUntil>" when `list` has expired by `clock` (VC 2.0 §4.9):
 * a verified list kept in a cache must be judged again at each use.
 */
export function assertStatusListCurrent(list: VerifiedStatusList, clock: StatusListClock = {}): void {
  if (list.validUntil === undefined) return;
  const now = clock.now === undefined ? Date.now() : typeof clock.now === "number" ? clock.now : clock.now.getTime();
  const skew = (clock.clockToleranceSeconds ?? CLOCK_TOLERANCE_SECONDS) * 1000;
  const until = parseDateTimeStamp(list.validUntil);
  if (Number.isNaN(until) || now - skew > until) throw new StatusListError(`status list expired at ${list.validUntil}`);
}

/**
 * Answers one credential's entry from a verified list (Bitstring Status List v1.0 §3.2 steps 5-10):
 * list still within its validity period by `clock`, same list URL, same statusPurpose, same issuer
 * as the credential, index within the list. The answer holds as of the list's validFrom.
 */
export function checkStatusEntry(
  entry: StatusEntry,
  list: VerifiedStatusList,
  credentialIssuerId: string,
  clock: StatusListClock = {},
): StatusEntryAnswer {
  assertStatusListCurrent(list, clock);
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
  return { bitSet: getBit(list.bits, index), asOf: list.validFrom };
}
