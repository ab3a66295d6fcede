// Collects named verification checks and turns them into one three-valued status
// (docs/api.md "VerificationResult"; `unknown` is never shown as valid).

/** One entry of VerificationResult.checks (docs/api.md "VerificationResult"). */
export interface Check {
  name: string;
  ok: boolean;
  detail?: string;
}

/** What a failed check means for the credential's overall status. */
export type Outcome = "invalid" | "unknown" | "revoked" | "expired" | "not_yet_valid";

/** The statuses of a VerificationResult (docs/api.md "VerificationResult"). */
export type VerificationStatus = "valid" | Outcome;

/** An ordered list of checks plus the outcome each failure implies. */
export class CheckList {
  readonly checks: Check[] = [];
  private readonly failures: { outcome: Outcome; detail: string }[] = [];

  pass(name: string, detail?: string): void {
    this.checks.push(detail === undefined ? { name, ok: true } : { name, ok: true, detail });
  }

  fail(name: string, outcome: Outcome, detail: string): void {
    this.checks.push({ name, ok: false, detail });
    this.failures.push({ outcome, detail });
  }

  has(outcome: Outcome): boolean {
    return this.failures.some((f) => f.outcome === outcome);
  }

  /** Detail of the first failure with this outcome. */
  reasonFor(outcome: Outcome): string | undefined {
    return this.failures.find((f) => f.outcome === outcome)?.detail;
  }

  /**
   * invalid > unknown (signature not established) > revoked > expired > not_yet_valid > unknown > valid:
   * claims of an unverified token never decide anything but `invalid` or `unknown`.
   */
  status(signatureVerified: boolean): VerificationStatus {
    if (this.has("invalid")) return "invalid";
    if (!signatureVerified) return "unknown";
    for (const outcome of ["revoked", "expired", "not_yet_valid", "unknown"] as const) {
      if (this.has(outcome)) return outcome;
    }
    return "valid";
  }
}
