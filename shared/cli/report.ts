// Human-readable summary of a VerificationResult for the terminal.

import type { VerificationResult } from "../verify/types.ts";
import { escapeForTerminal } from "./terminal-text.ts";

const HEADLINES: Record<VerificationResult["status"], string> = {
  valid: "VALID",
  revoked: "REVOKED",
  expired: "EXPIRED",
  not_yet_valid: "NOT YET VALID",
  invalid: "INVALID",
  unknown: "UNKNOWN (could not be fully checked)",
};

/**
 * Multi-line summary: status headline, credential facts, then one line per check with its detail
 * (e.g. when the status list was signed). Every line is escaped: names and reasons are untrusted.
 */
export function formatResult(result: VerificationResult, source: string): string {
  const lines = [`${HEADLINES[result.status]}${result.reason ? `: ${result.reason}` : ""}`];
  const c = result.credential;
  if (c) {
    lines.push(
      "",
      `  credential   ${c.name}`,
      `  recipient    ${c.recipientName || "(no name)"}`,
      `  achievement  ${c.achievement.name}`,
      `  issuer       ${c.issuer.name ? `${c.issuer.name} ` : ""}(${c.issuer.id})`,
      `  valid from   ${c.validFrom}`,
      `  valid until  ${c.validUntil ?? "no expiry"}`,
      `  id           ${c.id}`,
    );
  }
  lines.push("", `checks (${source}):`);
  for (const check of result.checks) {
    lines.push(`  ${check.ok ? "ok  " : "FAIL"}  ${check.name.padEnd(11)}${check.detail ? ` ${check.detail}` : ""}`);
  }
  return lines.map(escapeForTerminal).join("\n");
}
