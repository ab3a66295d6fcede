// The recipient rules, once: POST /v1/credentials builds its body schema from these fields, batch
// intake checks every row with RecipientRules, and issuance checks each recipient with it again
// before anything is reserved or signed (a batch row may have expired while queued), so a bad row
// costs nothing and writes nothing.
import { z } from "@hono/zod-openapi";
import { parseDateTimeStamp, toDateTimeStamp } from "../../../shared/credential/index.ts";
import { fieldErrors, type FieldError } from "../../validation.ts";

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

/** A recipient before checking: name and email may be anything a client sent. */
export type UncheckedRecipient = Omit<IssueRecipient, "name" | "email"> & { name: unknown; email: unknown };

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

const NAME_RULE = `must be 1-${NAME_MAX} characters`;
const EMAIL_RULE = "must be an email address";

/** The recipient's name, trimmed. */
export const RecipientName = z.string().trim().min(1, NAME_RULE).max(NAME_MAX, NAME_RULE).openapi({ example: "Ada Lovelace" });

/** The recipient's email, trimmed and lower-cased (credentials carry only its salted hash). */
export const RecipientEmail = z
  .string()
  .trim()
  .min(1, EMAIL_RULE)
  .max(EMAIL_MAX, EMAIL_RULE)
  .regex(EMAIL_PATTERN, EMAIL_RULE)
  .toLowerCase()
  .openapi({ format: "email", example: "ada@example.edu" });

/** A VC 2.0 dateTimeStamp: RFC 3339 date-time with an offset (validFrom/validUntil). */
export const ValidityDate = z
  .string()
  .refine((value) => !Number.isNaN(parseDateTimeStamp(value)), "must be an RFC 3339 date-time with an offset")
  .openapi({ format: "date-time", example: "2026-12-01T00:00:00Z" });

/**
 * validUntil must be after validFrom, or after now when validFrom is absent. Compared at second
 * precision, as the credential states both (so what passes here also passes issuance).
 */
export function checkValidityPeriod(value: { validFrom?: string; validUntil?: string }, ctx: z.RefinementCtx) {
  if (value.validUntil === undefined) return;
  const until = parseDateTimeStamp(value.validUntil);
  const from = value.validFrom === undefined ? Date.now() : parseDateTimeStamp(value.validFrom);
  if (Number.isNaN(until) || Number.isNaN(from)) return; // the date's own rule reports it
  if (Math.floor(until / 1000) <= Math.floor(from / 1000)) {
    ctx.addIssue({ code: "custom", path: ["validUntil"], input: value.validUntil, message: "must be after validFrom (or now)" });
  }
}

/** Every rule a recipient must meet to be issued a credential. */
export const RecipientRules = z
  .object({ name: RecipientName, email: RecipientEmail, validFrom: ValidityDate.optional(), validUntil: ValidityDate.optional() })
  .superRefine(checkValidityPeriod);

/** The normalised recipient (validFrom defaults to `now`), or the field errors naming what is wrong. */
export function checkRecipient(r: UncheckedRecipient, now: Date): CheckedRecipient | { errors: FieldError[] } {
  const parsed = RecipientRules.safeParse(r);
  if (!parsed.success) return { errors: fieldErrors(parsed.error.issues) };
  const { name, email, validFrom, validUntil } = parsed.data;
  const checked: CheckedRecipient = { name, email, validFrom: toDateTimeStamp(validFrom ?? now) };
  if (validUntil !== undefined) checked.validUntil = toDateTimeStamp(validUntil);
  if (r.batchId !== undefined) {
    // Set by the batch consumer, never by a client.
    if (!Number.isSafeInteger(r.batchRow)) return { errors: [{ field: "batchRow", rule: "required", detail: "is required with batchId" }] };
    checked.batchId = r.batchId;
    checked.batchRow = r.batchRow;
  }
  return checked;
}
