// Batch rows are checked by the recipient rules POST /v1/credentials uses; their zod issues map to
// the batch row error codes in one place (rowError).
import { describe, expect, it } from "vitest";
import { AppError } from "../../../shared/http/problem.ts";
import { checkRecipient } from "../issuance/recipient.ts";
import { checkRows, recipientsFromJson, type RawRecipient } from "./intake.ts";

const row = (fields: Partial<RawRecipient>, at = 1): RawRecipient => ({ row: at, name: "Ada", email: "ada@example.org", ...fields });
const outcome = (fields: Partial<RawRecipient>) => {
  const [checked] = checkRows([row(fields)], new Date());
  return [checked!.errorCode, checked!.errorDetail];
};

describe("batch rows against the recipient rules", () => {
  it("maps each broken rule to its row code, a missing name or email first", () => {
    expect(outcome({ name: null })).toEqual(["MISSING_NAME", "name is missing"]);
    expect(outcome({ name: 42 })).toEqual(["MISSING_NAME", "name is missing"]);
    expect(outcome({ name: "   " })).toEqual(["MISSING_NAME", "name is missing"]);
    expect(outcome({ email: "" })).toEqual(["MISSING_EMAIL", "email is missing"]);
    // A missing email outranks a name that is too long, as the row says what is absent first.
    expect(outcome({ name: "x".repeat(201), email: undefined })).toEqual(["MISSING_EMAIL", "email is missing"]);
    expect(outcome({ name: "x".repeat(201) })).toEqual(["INVALID_NAME", "name must be 1-200 characters"]);
    expect(outcome({ email: "not-an-address" })).toEqual(["INVALID_EMAIL", "email must be an email address"]);
    expect(outcome({ validUntil: "next tuesday" })[0]).toBe("INVALID_VALID_UNTIL");
    expect(outcome({ validUntil: "2001-01-01" })).toEqual(["INVALID_VALID_UNTIL", "validUntil must be after validFrom (or now)"]);
  });

  it("a good row is pending, normalised as issuance will state it", () => {
    const [checked] = checkRows([row({ name: "  Ada Lovelace ", email: " Ada@Example.ORG ", validUntil: "2039-12-31" })], new Date());
    expect(checked).toMatchObject({
      state: "pending",
      errorCode: null,
      name: "Ada Lovelace",
      email: "ada@example.org",
      validUntil: "2039-12-31T00:00:00Z",
    });
  });

  it("issuance refuses with the same rules (field errors, as problem+json lists them)", () => {
    expect(checkRecipient({ name: "Ada", email: "nope" }, new Date())).toEqual({
      errors: [{ field: "email", rule: "invalid_format", detail: "must be an email address" }],
    });
    const until = "2030-01-01T00:00:00Z";
    expect(checkRecipient({ name: "Ada", email: "a@example.org", validFrom: until, validUntil: until }, new Date())).toEqual({
      errors: [{ field: "validUntil", rule: "custom", detail: "must be after validFrom (or now)" }],
    });
  });
});

describe("the JSON batch envelope", () => {
  it("names the field that is wrong, like every other validation failure", () => {
    const refusal = (body: unknown) => {
      try {
        recipientsFromJson(body);
      } catch (error) {
        if (error instanceof AppError) return { status: error.status, code: error.code, fields: error.errors?.map((e) => e.field) };
      }
      return null;
    };
    expect(refusal([])).toEqual({ status: 400, code: "VALIDATION_FAILED", fields: ["(body)"] });
    expect(refusal({ recipients: [] })).toEqual({ status: 400, code: "VALIDATION_FAILED", fields: ["achievementId"] });
    expect(refusal({ achievementId: "a", recipients: "Ada" })).toEqual({ status: 400, code: "VALIDATION_FAILED", fields: ["recipients"] });
    expect(refusal({ achievementId: "a", recipients: [] })).toMatchObject({ status: 400, code: "EMPTY_BATCH" });
    expect(recipientsFromJson({ achievementId: "a", recipients: [{ name: "Ada", email: "a@example.org" }, "x"] }).recipients).toEqual([
      { row: 1, name: "Ada", email: "a@example.org", validUntil: undefined },
      { row: 2, name: null, email: null, readError: { code: "INVALID_ROW", detail: "recipient must be an object {name, email, validUntil?}" } },
    ]);
  });
});
