// The verification facade: a VC-JWT in, the contract's VerificationResult out, never a throw
// (VC-JOSE-COSE §3.1.1, RFC 8725, OB 3.0 §8.1, Bitstring Status List v1.0 §3.2).

import { REVOCATION_PURPOSE } from "../credential/constants.ts";
import { checkCredentialShape, issuerIdOf } from "../credential/shape.ts";
import type { StatusEntry } from "../credential/types.ts";
import { StatusListError } from "../status-list/verify.ts";
import { CheckList } from "../vc-jwt/check-list.ts";
import { verifyVcJwt } from "../vc-jwt/verify.ts";
import { notRevokedDetail } from "./status-detail.ts";
import type { CredentialSummary, StatusAnswer, VerificationResult, VerifyCredentialOptions } from "./types.ts";

type Obj = Record<string, unknown>;

function str(v: unknown): string {
  return typeof v === "string" ? v : "";
}

function summarize(p: Obj): CredentialSummary {
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
async function checkStatus(p: Obj, opts: VerifyCredentialOptions, list: CheckList): Promise<string | undefined> {
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

/**
 * Verifies an OB 3.0 VC-JWT: size, format, algorithm, type, key, signature, claims, valid_from,
 * valid_until, shape, status, in that order, one `checks` entry each (only those that could run).
 * Status is three-valued: a status list that cannot be checked gives `unknown`, never `valid`.
 */
export async function verifyCredential(jwt: unknown, opts: VerifyCredentialOptions): Promise<VerificationResult> {
  const list = new CheckList();
  let verifiedPayload: Obj | undefined;
  let signatureVerified = false;
  let revokedReason: string | undefined;
  try {
    const outcome = await verifyVcJwt(jwt, opts, list);
    signatureVerified = outcome.signatureVerified;
    if (outcome.payload) {
      const problem = checkCredentialShape(outcome.payload);
      if (problem) list.fail("shape", "invalid", problem);
      else list.pass("shape", "OB 3.0 OpenBadgeCredential");
      if (!problem && signatureVerified) {
        verifiedPayload = outcome.payload;
        revokedReason = await checkStatus(outcome.payload, opts, list);
      }
    }
  } catch (e) {
    // Defence in depth: every step above already turns bad input into a failed check.
    list.fail("internal", "invalid", `verification error: ${e instanceof Error ? e.message : String(e)}`);
  }
  const status = list.status(signatureVerified);
  const result: VerificationResult = { verified: status === "valid", status, checks: list.checks };
  if (status === "revoked") result.reason = revokedReason ?? "revoked by the issuer";
  else if (status === "unknown") result.reason = list.reasonFor("unknown") ?? "signature could not be checked";
  else if (status !== "valid") result.reason = list.reasonFor(status);
  if (verifiedPayload) result.credential = summarize(verifiedPayload);
  return result;
}
