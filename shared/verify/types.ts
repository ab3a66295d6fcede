// Public shapes of verification (docs/api.md "VerificationResult").

import type { StatusEntry } from "../credential/types.ts";
import type { Check, VerificationStatus } from "../vc-jwt/check-list.ts";
import type { IssuerKeyResolver } from "../vc-jwt/verify.ts";

/** Display facts of a credential whose signature verified (docs/api.md "VerificationResult", `credential`). */
export interface CredentialSummary {
  id: string;
  name: string;
  issuer: { id: string; name: string };
  recipientName: string;
  achievement: { name: string };
  validFrom: string;
  validUntil?: string;
}

/** Which proof a verification checked: the VC-JWT, or an embedded Data Integrity proof (eddsa-rdfc-2022). */
export type ProofFormat = "vc-jwt" | "data-integrity";

/** What a verifier accepts: a compact VC-JWT, or a credential object carrying a `proof`. */
export type SecuredCredential = string | Record<string, unknown>;

/** The contract's VerificationResult; `verified` is true only when `status` is `valid`. */
export interface VerificationResult {
  verified: boolean;
  status: VerificationStatus;
  /** The proof checked; absent only when the input never reached a verifier (unusable input). */
  proof?: ProofFormat;
  reason?: string;
  checks: Check[];
  credential?: CredentialSummary;
}

/**
 * A status list's answer for one entry; `reason` is the issuer's revocation reason if known;
 * `asOf` is the list's validFrom, when the issuer signed the state the answer comes from.
 */
export interface StatusAnswer {
  bitSet: boolean;
  reason?: string;
  asOf?: string;
}

/**
 * Answers a credential's status entry (Bitstring Status List v1.0 §3.2). Return null or throw when
 * the list cannot be fetched or checked: the credential's status is then `unknown`, never `valid`.
 */
export type StatusResolver = (
  entry: StatusEntry,
  context: { issuerId: string; credentialId: string },
) => Promise<StatusAnswer | null> | StatusAnswer | null;

/** Options of `verifyCredential`: where keys and status come from, and the clock. */
export interface VerifyCredentialOptions {
  resolveIssuerKeys: IssuerKeyResolver;
  resolveStatus?: StatusResolver;
  now?: Date | number;
  clockToleranceSeconds?: number;
}

export type { Check, VerificationStatus };
