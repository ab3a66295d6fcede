// The `status` check's detail for a credential that is not revoked, and reading its "as of" time
// back. One place for the wording: the CLI prints the detail as is, the pages read the time from it,
// and the VerificationResult keeps its contract shape (no extra field).

import type { StatusEntry } from "../credential/types.ts";
import type { Check } from "../vc-jwt/check-list.ts";

const AS_OF = /^not revoked as of (\S+) /;

/**
 * `not revoked as of <validFrom of the list> (<list URL> #<index>)`, or without "as of" when the
 * answer did not say when its list was signed (Bitstring Status List v1.0 §3.2).
 */
export function notRevokedDetail(entry: StatusEntry, asOf?: string): string {
  const where = `(${entry.statusListCredential} #${entry.statusListIndex})`;
  return asOf && !/\s/.test(asOf) ? `not revoked as of ${asOf} ${where}` : `not revoked ${where}`;
}

/** The validFrom of the status list a passed `status` check answered from; undefined when not said. */
export function statusAsOf(checks: readonly Check[]): string | undefined {
  const status = checks.find((c) => c.name === "status" && c.ok);
  return status?.detail?.match(AS_OF)?.[1];
}
