// What the LMS adapters (canvas.ts, moodle.ts) hand the sync: learners to issue to, and records
// that could not be used, each with the offending LMS record for the sync's error report.
import { EMAIL_MAX, EMAIL_PATTERN, NAME_MAX } from "../issuance/recipient.ts";
import { snippet } from "./lms-http.ts";

export interface LmsLearner {
  lmsUserId: string;
  name: string;
  email: string;
}

export interface LearnerProblem {
  /** The LMS user id, or `#<page>.<index>` for a record without a readable one. */
  lmsUserId: string;
  code: LearnerProblemCode;
  detail: string;
  record: string;
}

export type LearnerProblemCode = "MALFORMED_RECORD" | "NO_EMAIL" | "LMS_ERROR" | "INVALID_RECIPIENT";

/** A record as stored with an error (truncated JSON). */
export function recordText(record: unknown): string {
  try {
    return snippet(JSON.stringify(record) ?? String(record), 500);
  } catch {
    return "(unprintable)";
  }
}

/** `value` when it is a usable email address (the issuance rule), else null. */
export function usableEmail(value: unknown): string | null {
  if (typeof value !== "string") return null;
  const email = value.trim().toLowerCase();
  return email.length <= EMAIL_MAX && EMAIL_PATTERN.test(email) ? email : null;
}

/** A learner's name, trimmed and cut to the issuance limit. */
export function learnerName(value: string): string {
  return value.trim().slice(0, NAME_MAX);
}
