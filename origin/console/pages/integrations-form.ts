// The LMS integration form (connect and edit): the same checks as POST/PATCH /v1/integrations (the
// API's schemas, the outbound URL guard on the base URL, an achievement of the org), each error kept
// for the field it concerns. The token is write-only: never put back into the page; on edit an
// empty token keeps the stored one.
import { html } from "hono/html";
import type { z } from "@hono/zod-openapi";
import type { Database } from "../../db/client.ts";
import type { OriginEnv } from "../../env.ts";
import { CreateIntegrationBody, MOODLE_COURSE_ID, MOODLE_COURSE_RULE, UpdateIntegrationBody } from "../../routes/integrations.schemas.ts";
import { findAchievement } from "../../services/achievements/achievements.ts";
import type { IntegrationInput, IntegrationPatch } from "../../services/integrations/store.ts";
import { checkTargetUrl } from "../../services/outbound/target-url.ts";
import { formText, type ConsoleForm } from "../context.ts";
import { csrfField, field, type Html } from "../html.ts";

export const INTEGRATIONS_PATH = "/console/integrations";

const TEXT_FIELDS = ["kind", "name", "baseUrl", "token", "courseId", "achievementId", "schedule", "requestsPerSecond", "maxConcurrency"] as const;
export type IntegrationField = (typeof TEXT_FIELDS)[number];
export type IntegrationValues = Partial<Record<IntegrationField, string>>;
export type IntegrationErrors = Partial<Record<IntegrationField, string>>;

function readValues(form: ConsoleForm): IntegrationValues {
  return Object.fromEntries(TEXT_FIELDS.map((f) => [f, formText(form, f, f === "token" ? 4097 : 2049).trim()]));
}

/**
 * The form as an API body: every text field as sent (an empty one then fails the API's rule), but
 * on edit an empty token is left out (kept) and the kind is fixed; an empty schedule is null (on
 * request only); empty numbers are left out (the default, or unchanged).
 */
function asBody(v: IntegrationValues, editing: boolean): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  for (const f of ["kind", "name", "baseUrl", "token", "courseId", "achievementId"] as const) body[f] = v[f] ?? "";
  if (editing) {
    delete body.kind;
    if (!v.token) delete body.token;
  }
  body.schedule = v.schedule ? v.schedule : null;
  for (const f of ["requestsPerSecond", "maxConcurrency"] as const) if (v[f]) body[f] = /^\d{1,3}$/.test(v[f]!) ? Number(v[f]) : v[f];
  return body;
}

function fieldErrors(error: z.ZodError): IntegrationErrors {
  const errors: IntegrationErrors = {};
  for (const issue of error.issues) {
    const f = String(issue.path[0] ?? "name") as IntegrationField;
    errors[f] ??= `${f === "requestsPerSecond" || f === "maxConcurrency" ? "Enter a whole number in range: " : ""}${issue.message}`;
  }
  return errors;
}

/** Checks the form; on success the create input (or the patch, `existingKind` given when editing). */
export async function readIntegrationForm(
  form: ConsoleForm,
  ctx: { db: Database; orgId: string; env: Pick<OriginEnv, "ALLOW_LOCAL_HTTP_TARGETS">; existingKind?: "canvas" | "moodle" },
): Promise<{ values: IntegrationValues; errors: IntegrationErrors; input?: IntegrationInput | IntegrationPatch }> {
  const values = readValues(form);
  const editing = ctx.existingKind !== undefined;
  const parsed = editing ? UpdateIntegrationBody.safeParse(asBody(values, true)) : CreateIntegrationBody.safeParse(asBody(values, false));
  const errors: IntegrationErrors = parsed.success ? {} : fieldErrors(parsed.error);
  if (editing && ctx.existingKind === "moodle" && values.courseId && !MOODLE_COURSE_ID.test(values.courseId)) errors.courseId ??= MOODLE_COURSE_RULE;
  let baseUrl: string | undefined;
  if (!values.baseUrl) errors.baseUrl = "Enter the LMS address.";
  else if (!errors.baseUrl) {
    const check = checkTargetUrl(values.baseUrl, ctx.env);
    if (check.ok) baseUrl = check.url.toString();
    else errors.baseUrl = `This URL is not allowed: ${check.reason}.`;
  }
  if (values.achievementId && !errors.achievementId && !(await findAchievement(ctx.db, ctx.orgId, values.achievementId))) {
    errors.achievementId = "Choose one of your org's achievements.";
  }
  if (!parsed.success || Object.keys(errors).length) return { values, errors };
  const input = { ...parsed.data, ...(baseUrl ? { baseUrl } : {}) } as IntegrationInput | IntegrationPatch;
  return { values, errors, input };
}

export interface FormContext {
  action: string;
  csrf: string;
  achievements: { id: string; name: string }[];
  values: IntegrationValues;
  errors: IntegrationErrors;
  /** Set when editing: the kind is fixed and the token may stay as it is. */
  kind?: "canvas" | "moodle";
}

function select(name: IntegrationField, label: string, options: { value: string; label: string }[], o: FormContext): Html {
  const id = `f-${name}`;
  const error = o.errors[name];
  return html`<div><label for="${id}">${label}</label>
    <select id="${id}" name="${name}" required ${error ? html`aria-invalid="true" aria-describedby="${id}-error"` : ""}>
      ${options.map((opt) => html`<option value="${opt.value}" ${opt.value === o.values[name] ? html`selected` : ""}>${opt.label}</option>`)}
    </select>
    ${error ? html`<p class="error" id="${id}-error">${error}</p>` : ""}</div>`;
}

export function integrationForm(o: FormContext & { heading: string; submit: string }): Html {
  const editing = o.kind !== undefined;
  return html`<form class="stack card" method="post" action="${o.action}" novalidate>
    <h2>${o.heading}</h2>
    ${csrfField(o.csrf)}
    ${editing
      ? html`<p>LMS: ${o.kind === "canvas" ? "Canvas" : "Moodle"} (cannot change)</p>`
      : select("kind", "LMS", [{ value: "canvas", label: "Canvas" }, { value: "moodle", label: "Moodle" }], o)}
    ${field({ name: "name", label: "Name", value: o.values.name, required: true, error: o.errors.name, maxlength: 200, hint: "e.g. “CS101 Fall 2026”." })}
    ${field({ name: "baseUrl", label: "LMS address", type: "url", value: o.values.baseUrl, required: true, error: o.errors.baseUrl, maxlength: 2048, hint: "The LMS's root URL, public https, e.g. https://canvas.example.edu." })}
    ${field({ name: "token", label: "API token", type: "password", required: !editing, error: o.errors.token, maxlength: 4096, autocomplete: "off",
      hint: editing ? "Stored encrypted and never shown. Leave empty to keep the current token." : "Canvas access token or Moodle web service token. Stored encrypted and never shown again." })}
    ${field({ name: "courseId", label: "Course id", value: o.values.courseId, required: true, error: o.errors.courseId, maxlength: 100, hint: "The course's id in the LMS (Moodle: a number)." })}
    ${o.achievements.length === 0
      ? html`<p class="alert" role="alert">Your org has no achievement yet: create one first.</p>`
      : select("achievementId", "Achievement earned on completion", o.achievements.map((a) => ({ value: a.id, label: a.name })), o)}
    ${field({ name: "schedule", label: "Automatic syncs", value: o.values.schedule, error: o.errors.schedule, maxlength: 40, hint: "“hourly”, “daily” or “every N minutes” (5 to 1440); empty: only when someone presses “Sync now”." })}
    ${field({ name: "requestsPerSecond", label: "LMS requests per second at most", type: "number", value: o.values.requestsPerSecond, error: o.errors.requestsPerSecond, hint: "1 to 50; empty: 5." })}
    ${field({ name: "maxConcurrency", label: "LMS requests at once at most", type: "number", value: o.values.maxConcurrency, error: o.errors.maxConcurrency, hint: "1 to 10; empty: 2." })}
    <div><button type="submit">${o.submit}</button></div>
  </form>`;
}
