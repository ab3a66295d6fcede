import type { Hook } from "@hono/zod-openapi";
import { AppError } from "../shared/http/problem.ts";

/** Turns a failed zod validation into a 400 problem naming each field and the rule it broke. */
export const validationHook: Hook<unknown, any, any, unknown> = (result) => {
  if (result.success) return;
  const errors = result.error.issues.map((issue) => ({
    field: issue.path.length ? issue.path.join(".") : "(body)",
    rule: issue.code,
    detail: issue.message,
  }));
  const summary = errors.map((e) => `${e.field}: ${e.detail}`).join("; ");
  throw new AppError(400, "VALIDATION_FAILED", `The ${result.target} is invalid: ${summary}`, { errors });
};
