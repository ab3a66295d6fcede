// Batch intake: turns a JSON or CSV request body into numbered rows and checks every row up front.
// A bad row does not fail the batch: it is stored `failed` with a code and detail. Only problems
// with the request as a whole (unparseable CSV, missing columns, too many rows) are 4xx answers.
import { parse as parseCsv, CsvError } from "csv-parse/sync";
import { AppError } from "../../../shared/http/problem.ts";
import { z } from "@hono/zod-openapi";
import { fieldErrors, validationFailed, type FieldError } from "../../validation.ts";
import { checkRecipient } from "../issuance/recipient.ts";

/** Most recipients one batch may carry. */
export const MAX_BATCH_RECIPIENTS = 10_000;
/** Largest request body accepted for a batch (JSON or CSV). */
export const MAX_BATCH_BODY_BYTES = 5 * 1024 * 1024;

/** A recipient as the client sent it, before checking; `row` is 1-based in the client's order. */
export interface RawRecipient {
  row: number;
  name: unknown;
  email: unknown;
  validUntil?: unknown;
  /** CSV only: the line the record started on, for error details. */
  line?: number;
  /** A problem found while reading the row itself (e.g. extra CSV fields). */
  readError?: { code: string; detail: string };
}

/** A checked row, ready to store: `pending` rows are issued by the queue consumer. */
export interface BatchRowInput {
  row: number;
  name: string | null;
  email: string | null;
  validUntil: string | null;
  state: "pending" | "failed";
  errorCode: string | null;
  errorDetail: string | null;
}

/** Batch row error codes per recipient field: [when the value is missing, when it breaks a rule]. */
const ROW_CODES: Record<string, readonly [string, string]> = {
  name: ["MISSING_NAME", "INVALID_NAME"],
  email: ["MISSING_EMAIL", "INVALID_EMAIL"],
  validUntil: ["INVALID_VALID_UNTIL", "INVALID_VALID_UNTIL"],
};

/** Absent, not a string, or blank (the rules trim first). */
const isMissing = (e: FieldError) => (e.field === "name" || e.field === "email") && (e.rule === "invalid_type" || e.rule === "too_small");

/**
 * The batch row error for a recipient refused with `errors` (the recipient rules' field errors, at
 * intake or at issue time): a missing name or email first, else the first field that broke a rule.
 */
export function rowError(errors: readonly FieldError[]): { code: string; detail: string } {
  const error = errors.find(isMissing) ?? errors[0];
  if (!error) return { code: "INVALID_RECIPIENT", detail: "the recipient is invalid" };
  const missing = isMissing(error);
  const code = ROW_CODES[error.field]?.[missing ? 0 : 1] ?? "INVALID_RECIPIENT";
  return { code, detail: missing ? `${error.field} is missing` : `${error.field} ${error.detail}` };
}
const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

function text(value: unknown): string | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== "string") return null;
  const trimmed = value.trim();
  return trimmed === "" ? null : trimmed;
}

function tooMany(count: number): AppError {
  return new AppError(
    413,
    "TOO_MANY_RECIPIENTS",
    `A batch may carry at most ${MAX_BATCH_RECIPIENTS} recipients; this one has ${count}. Split it into several batches.`,
  );
}

/**
 * Checks each row with the recipient rules (name, email, validUntil after now). A date without a
 * time (`2027-06-30`) means midnight UTC of that day, as spreadsheets export dates that way.
 */
export function checkRows(raw: readonly RawRecipient[], now: Date): BatchRowInput[] {
  return raw.map((r) => {
    const name = text(r.name);
    const email = text(r.email);
    let validUntil = text(r.validUntil);
    if (validUntil && DATE_ONLY.test(validUntil)) validUntil = `${validUntil}T00:00:00Z`;
    const stored = { row: r.row, name: name?.slice(0, 1000) ?? null, email: email?.slice(0, 1000) ?? null, validUntil: validUntil?.slice(0, 100) ?? null };
    const at = r.line !== undefined ? ` (line ${r.line})` : "";
    if (r.readError) return { ...stored, state: "failed", errorCode: r.readError.code, errorDetail: r.readError.detail + at };
    const checked = checkRecipient({ name, email, ...(validUntil ? { validUntil } : {}) }, now);
    if ("errors" in checked) {
      const { code, detail } = rowError(checked.errors);
      return { ...stored, state: "failed", errorCode: code, errorDetail: detail + at };
    }
    return { ...stored, name: checked.name, email: checked.email, validUntil: checked.validUntil ?? null, state: "pending", errorCode: null, errorDetail: null };
  });
}

/** The JSON batch envelope; each recipient is checked on its own (checkRows), so a bad one fails only its row. */
const BatchEnvelope = z.object({ achievementId: z.string().min(1), recipients: z.array(z.unknown()) });

/** Reads `{achievementId, recipients: [{name, email, validUntil?}]}`; rows are numbered from 1. */
export function recipientsFromJson(body: unknown): { achievementId: string; recipients: RawRecipient[] } {
  const parsed = BatchEnvelope.safeParse(body);
  if (!parsed.success) throw validationFailed("body", fieldErrors(parsed.error.issues));
  const { achievementId, recipients } = parsed.data;
  if (recipients.length === 0) throw new AppError(400, "EMPTY_BATCH", "recipients is empty: nothing to issue.");
  if (recipients.length > MAX_BATCH_RECIPIENTS) throw tooMany(recipients.length);
  return {
    achievementId,
    recipients: recipients.map((r, i): RawRecipient => {
      if (typeof r !== "object" || r === null || Array.isArray(r)) {
        return { row: i + 1, name: null, email: null, readError: { code: "INVALID_ROW", detail: "recipient must be an object {name, email, validUntil?}" } };
      }
      const o = r as Record<string, unknown>;
      return { row: i + 1, name: o.name, email: o.email, validUntil: o.validUntil };
    }),
  };
}

const COLUMN_ALIASES: Record<string, "name" | "email" | "validUntil"> = {
  name: "name",
  email: "email",
  validuntil: "validUntil",
  valid_until: "validUntil",
};

/**
 * Reads CSV with a header `name,email[,validUntil]` (any order, case-insensitive, BOM tolerated).
 * Unparseable CSV (e.g. an unclosed quote) answers 400 CSV_MALFORMED naming the line; a missing,
 * unknown or repeated column answers 400 CSV_COLUMNS. Rows are numbered from 1 after the header.
 */
export function recipientsFromCsv(csv: string): RawRecipient[] {
  let lastLine = 0;
  let records: { record: string[]; info: { lines: number } }[];
  try {
    records = parseCsv(csv, {
      bom: true,
      info: true,
      relax_column_count: true,
      skip_empty_lines: true,
      skip_records_with_empty_values: true,
      on_record: (rec: unknown, context: { lines: number }) => {
        lastLine = context.lines;
        return rec as string[];
      },
    }) as unknown as typeof records;
  } catch (error) {
    if (error instanceof CsvError) {
      const line = error.code === "CSV_QUOTE_NOT_CLOSED" ? lastLine + 1 : ((error as { lines?: number }).lines ?? lastLine + 1);
      throw new AppError(400, "CSV_MALFORMED", `The CSV could not be read at line ${line}: ${error.message}`);
    }
    throw error;
  }
  const [header, ...data] = records;
  if (!header) throw new AppError(400, "EMPTY_BATCH", "The CSV is empty: expected a header name,email[,validUntil] and rows.");
  const columns = header.record.map((h) => COLUMN_ALIASES[h.trim().toLowerCase()]);
  const unknown = header.record.filter((_, i) => columns[i] === undefined);
  const missing = (["name", "email"] as const).filter((c) => !columns.includes(c));
  const repeated = columns.filter((c, i) => c !== undefined && columns.indexOf(c) !== i);
  if (missing.length > 0 || unknown.length > 0 || repeated.length > 0) {
    const parts = [];
    if (missing.length) parts.push(`missing ${missing.join(", ")}`);
    if (unknown.length) parts.push(`unknown ${unknown.map((u) => JSON.stringify(u)).join(", ")}`);
    if (repeated.length) parts.push(`repeated ${repeated.join(", ")}`);
    throw new AppError(400, "CSV_COLUMNS", `The CSV header must be name,email[,validUntil]: ${parts.join("; ")}.`);
  }
  if (data.length === 0) throw new AppError(400, "EMPTY_BATCH", "The CSV has a header but no rows: nothing to issue.");
  if (data.length > MAX_BATCH_RECIPIENTS) throw tooMany(data.length);
  return data.map(({ record, info }, i) => {
    const raw: RawRecipient = { row: i + 1, name: null, email: null, line: info.lines };
    const extra = record.slice(columns.length).filter((v) => v.trim() !== "");
    if (extra.length > 0) raw.readError = { code: "INVALID_ROW", detail: `row has ${record.length} fields, the header ${columns.length}` };
    columns.forEach((column, at) => {
      if (column) raw[column] = record[at];
    });
    return raw;
  });
}
