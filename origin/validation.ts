// Validation failures, one way everywhere: zod issues become the problem+json `errors` list
// ({field, rule, detail}) and a 400 VALIDATION_FAILED whose detail names each field.
import type { Hook } from "@hono/zod-openapi";
import type { z } from "@hono/zod-openapi";
import { AppError, type Problem } from "../shared/http/problem.ts";

/** One offending field and the rule it broke, as problem+json `errors` lists it. */
export type FieldError = Required<NonNullable<Problem["errors"]>[number]>;

/** The field errors of zod issues; `prefix` places a nested schema's paths in the request (e.g. "recipient"). */
export function fieldErrors(issues: readonly z.core.$ZodIssue[], prefix?: string): FieldError[] {
  return issues.map((issue) => {
    const path = issue.path.map(String);
    if (prefix) path.unshift(prefix);
    return { field: path.length ? path.join(".") : "(body)", rule: issue.code, detail: issue.message };
  });
}

/** 400 VALIDATION_FAILED naming each field; `target` is what was invalid ("body", "query", …). */
export function validationFailed(target: string, errors: readonly FieldError[]): AppError {
  const summary = errors.map((e) => `${e.field}: ${e.detail}`).join("; ");
  return new AppError(400, "VALIDATION_FAILED", `The ${target} is invalid: ${summary}`, { errors: [...errors] });
}

/** Turns a failed zod validation of a route's input into a 400 problem naming each field and the rule it broke. */
export const validationHook: Hook<unknown, any, any, unknown> = (result) => {
  if (result.success) return;
  throw validationFailed(result.target, fieldErrors(result.error.issues));
};
