// Checks one recipient before anything is reserved or signed, so a bad row costs nothing and
// writes nothing. The single-issuance route validates the same rules with zod first; batch rows
// arrive here unchecked and get a per-row failure instead of failing the whole batch.
import { parseDateTimeStamp, toDateTimeStamp } from "../../../shared/credential/index.ts";

/** One person to issue to. Dates are RFC 3339 date-times with an offset (VC 2.0 §4.9). */
export interface IssueRecipient {
  name: string;
  email: string;
  validFrom?: string;
  validUntil?: string;
  /** Batch issuance: the batch and its 1-based row; UNIQUE together, so a row issues once. */
  batchId?: string;
  batchRow?: number;
}

export interface CheckedRecipient {
  name: string;
  email: string; // trimmed, lower-cased
  validFrom: string; // dateTimeStamp, second precision
  validUntil?: string;
  batchId?: string;
  batchRow?: number;
}

export const NAME_MAX = 200;
export const EMAIL_MAX = 320;
/** Deliberately loose (RFC 5322 is not a validation grammar): one @, a dot in the domain, no spaces. */
export const EMAIL_PATTERN = /^[^\s@]{1,64}@[^\s@]+\.[^\s@]+$/;

/** The normalised recipient, or a `{field, detail}` naming what is wrong. */
export function checkRecipient(r: IssueRecipient, now: Date): CheckedRecipient | { field: string; detail: string } {
  const name = typeof r.name === "string" ? r.name.trim() : "";
  if (!name || name.length > NAME_MAX) return { field: "name", detail: `name must be 1-${NAME_MAX} characters` };
  const email = typeof r.email === "string" ? r.email.trim().toLowerCase() : "";
  if (email.length > EMAIL_MAX || !EMAIL_PATTERN.test(email)) return { field: "email", detail: "email is not a valid address" };
  let validFrom = toDateTimeStamp(now);
  if (r.validFrom !== undefined && r.validFrom !== "") {
    if (Number.isNaN(parseDateTimeStamp(r.validFrom))) return { field: "validFrom", detail: "validFrom must be an RFC 3339 date-time" };
    validFrom = toDateTimeStamp(r.validFrom);
  }
  let validUntil: string | undefined;
  if (r.validUntil !== undefined && r.validUntil !== "") {
    if (Number.isNaN(parseDateTimeStamp(r.validUntil))) return { field: "validUntil", detail: "validUntil must be an RFC 3339 date-time" };
    validUntil = toDateTimeStamp(r.validUntil);
    if (Date.parse(validUntil) <= Date.parse(validFrom)) return { field: "validUntil", detail: "validUntil must be after validFrom" };
  }
  const checked: CheckedRecipient = { name, email, validFrom };
  if (validUntil) checked.validUntil = validUntil;
  if (r.batchId !== undefined) {
    if (!Number.isSafeInteger(r.batchRow)) return { field: "batchRow", detail: "batchRow is required with batchId" };
    checked.batchId = r.batchId;
    checked.batchRow = r.batchRow;
  }
  return checked;
}
