// The webhook endpoint form (create and edit): its fields and their checks, the same rules as
// POST/PATCH /v1/webhooks (the outbound URL guard, the subscribable event names, a description of
// at most 500 characters), with each error kept for the field it concerns.
import { html } from "hono/html";
import { WEBHOOK_EVENT_TYPES, type SubscribableEventType } from "../../db/schema/index.ts";
import type { OriginEnv } from "../../env.ts";
import { checkTargetUrl } from "../../services/outbound/target-url.ts";
import { formText, type ConsoleForm } from "../context.ts";
import { csrfField, field, type Html } from "../html.ts";

export const WEBHOOKS_PATH = "/console/settings/webhooks";

const URL_MAX = 2048;
const DESCRIPTION_MAX = 500;

const EVENT_HINTS: Record<SubscribableEventType, string> = {
  "credential.issued": "a credential was issued",
  "credential.revoked": "a credential was revoked",
  "batch.completed": "a batch finished",
  "key.rotated": "the signing key changed",
};

export interface EndpointValues {
  url: string;
  description: string;
  events: SubscribableEventType[];
}

export type EndpointErrors = Partial<Record<"url" | "description" | "events", string>>;

/** The form's values, checked: the normalised URL and the events on success, else errors by field. */
export function readEndpointForm(form: ConsoleForm, env: Pick<OriginEnv, "ALLOW_LOCAL_HTTP_TARGETS">): { values: EndpointValues; errors: EndpointErrors } {
  const sent = form.events;
  const chosen = (Array.isArray(sent) ? sent : [sent]).filter((v): v is string => typeof v === "string");
  const values: EndpointValues = {
    url: formText(form, "url", URL_MAX + 1).trim(),
    description: formText(form, "description", DESCRIPTION_MAX + 1).trim(),
    events: WEBHOOK_EVENT_TYPES.filter((e) => chosen.includes(e)),
  };
  const errors: EndpointErrors = {};
  if (!values.url) errors.url = "Enter the receiver's URL.";
  else if (values.url.length > URL_MAX) errors.url = `Use a URL of at most ${URL_MAX} characters.`;
  else {
    const check = checkTargetUrl(values.url, env);
    if (check.ok) values.url = check.url.href;
    else errors.url = `This URL is not allowed: ${check.reason}.`;
  }
  if (values.description.length > DESCRIPTION_MAX) errors.description = `Use at most ${DESCRIPTION_MAX} characters.`;
  if (values.events.length === 0 || chosen.length !== values.events.length) errors.events = "Choose at least one event from the list.";
  return { values, errors };
}

export function endpointForm(o: { action: string; csrf: string; values?: Partial<EndpointValues>; errors?: EndpointErrors; submit: string; heading: string }): Html {
  const events = o.values?.events ?? [];
  return html`<form class="stack card" method="post" action="${o.action}" novalidate>
    <h2>${o.heading}</h2>
    ${csrfField(o.csrf)}
    ${field({ name: "url", label: "Receiver URL", type: "url", value: o.values?.url, required: true, error: o.errors?.url, maxlength: URL_MAX, hint: "https on a public host name; redirects are not followed." })}
    ${field({ name: "description", label: "Description", value: o.values?.description, error: o.errors?.description, maxlength: DESCRIPTION_MAX })}
    <fieldset ${o.errors?.events ? html`aria-describedby="f-events-error"` : ""}><legend>Events</legend>
      ${WEBHOOK_EVENT_TYPES.map(
        (e) => html`<div><input type="checkbox" id="f-event-${e}" name="events" value="${e}" ${events.includes(e) ? html`checked` : ""} /> <label for="f-event-${e}">${e}: ${EVENT_HINTS[e]}</label></div>`,
      )}
      ${o.errors?.events ? html`<p class="error" id="f-events-error">${o.errors.events}</p>` : ""}
    </fieldset>
    <div><button type="submit">${o.submit}</button></div>
  </form>`;
}

/** The secret of a new or rotated endpoint, shown once. */
export function secretNotice(secret: string): Html {
  return html`<div class="notice" role="status"><p>The signing secret. Copy it now: it is shown only once.</p><code class="secret">${secret}</code></div>`;
}
