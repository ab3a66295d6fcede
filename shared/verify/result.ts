// The parts of a VerificationResult both proof formats share: the credential summary, the
// status check (Bitstring Status List v1.0 §3.2) and the result from the check list.

import { REVOCATION_PURPOSE } from "../credential/constants.ts";
import { issuerIdOf } from "../credential/shape.ts";
import type { StatusEntry } from "../credential/types.ts";
import { StatusListError } from "../status-list/verify.ts";
import type { CheckList } from "../vc-jwt/check-list.ts";
import { notRevokedDetail } from "./status-detail.ts";
import type { CredentialSummary, ProofFormat, StatusAnswer, VerificationResult, VerifyCredentialOptions } from "./types.ts";

type Obj = Record<string, unknown>;

function str(v: unknown): string {
  return typeof v === "string" ? v : "";
}

export function summarize(p: Obj): CredentialSummary {
  const issuer = p.issuer;
  const subject = p.credentialSubject as Obj;
  const achievement = subject.achievement as Obj;
  const summary: CredentialSummary = {
    id: str(p.id),
    name: str(p.name) || str(achievement.name),
    issuer: { id: issuerIdOf(issuer) ?? "", name: typeof issuer === "object" && issuer !== null ? str((issuer as Obj).name) : "" },
    recipientName: str(subject.name),
    achievement: { name: str(achievement.name) },
    validFrom: str(p.validFrom),
  };
  if (typeof p.validUntil === "string") summary.validUntil = p.validUntil;
  return summary;
}

// Adds the `status` check; returns the revocation reason when the entry's bit is set.
export async function checkStatus(p: Obj, opts: VerifyCredentialOptions, list: CheckList): Promise<string | undefined> {
  const entry = p.credentialStatus as StatusEntry | undefined;
  if (entry === undefined) {
    list.pass("status", "credential has no status entry");
    return undefined;
  }
  if (entry.statusPurpose !== REVOCATION_PURPOSE) {
    list.fail("status", "unknown", `unsupported statusPurpose ${entry.statusPurpose}`);
    return undefined;
  }
  if (!opts.resolveStatus) {
    list.fail("status", "unknown", "no status list available to check revocation");
    return undefined;
  }
  let answer: StatusAnswer | null;
  try {
    answer = await opts.resolveStatus(entry, { issuerId: issuerIdOf(p.issuer) ?? "", credentialId: str(p.id) });
  } catch (e) {
    // A StatusListError names the list's problem itself (e.g. "status list expired at <time>").
    const detail = e instanceof StatusListError ? e.message : `status list could not be checked: ${e instanceof Error ? e.message : String(e)}`;
    list.fail("status", "unknown", detail);
    return undefined;
  }
  if (!answer) {
    list.fail("status", "unknown", `status list ${entry.statusListCredential} is not available`);
    return undefined;
  }
  if (!answer.bitSet) {
    list.pass("status", notRevokedDetail(entry, answer.asOf));
    return undefined;
  }
  const reason = answer.reason?.trim() || "revoked by the issuer";
  list.fail("status", "revoked", `revoked: ${reason}`);
  return reason;
}

/** The result of a finished check list (`verified` only for `valid`; a reason for anything else). */
export function resultOf(list: CheckList, signatureVerified: boolean, proof: ProofFormat, verified: Obj | undefined, revokedReason: string | undefined): VerificationResult {
  const status = list.status(signatureVerified);
  const result: VerificationResult = { verified: status === "valid", status, proof, checks: list.checks };
  if (status === "revoked") result.reason = revokedReason ?? "revoked by the issuer";
  else if (status === "unknown") result.reason = list.reasonFor("unknown") ?? "signature could not be checked";
  else if (status !== "valid") result.reason = list.reasonFor(status);
  if (verified) result.credential = summarize(verified);
  return result;
}
