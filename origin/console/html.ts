// The console's page layout and form pieces, as escaped `hono/html` templates (every interpolated
// value is HTML-escaped unless wrapped in `raw`). One layout for every page.
import { html } from "hono/html";
import type { HtmlEscapedString } from "hono/utils/html";
import type { ConsoleSession } from "../services/sessions/sessions.ts";
import { consoleCssVersion } from "./assets/assets.ts";
import { may } from "./roles.ts";

export type Html = HtmlEscapedString | Promise<HtmlEscapedString>;

const NAV = [
  { href: "/console", label: "Overview", permission: "read" },
  { href: "/console/credentials", label: "Credentials", permission: "read" },
  { href: "/console/issue", label: "Issue", permission: "issue" },
  { href: "/console/achievements", label: "Achievements", permission: "read" },
  { href: "/console/settings/members", label: "Members", permission: "manage" },
  { href: "/console/settings/api-keys", label: "API keys", permission: "manage" },
  { href: "/console/settings/webhooks", label: "Webhooks", permission: "manage" },
  { href: "/console/integrations", label: "LMS", permission: "read" },
  { href: "/console/settings/passkeys", label: "Passkeys", permission: "read" },
  { href: "/console/settings/profile", label: "Issuer profile", permission: "read" },
  { href: "/console/settings/keys", label: "Signing keys", permission: "manage" },
  { href: "/console/settings/audit", label: "Audit log", permission: "manage" },
] as const;

/** A whole page; `session` absent on the sign-in and setup pages. `current` marks the nav entry. */
export async function page(opts: { title: string; session?: ConsoleSession; current?: string; body: Html }): Promise<Html> {
  const v = await consoleCssVersion();
  const s = opts.session;
  const header = s
    ? html`<header class="top">
        <span class="brand">Laurel · ${s.org.name}</span>
        <nav aria-label="Console">
          <ul>
            ${NAV.filter((n) => may(s.member.role, n.permission)).map(
              (n) => html`<li><a href="${n.href}" ${opts.current === n.href ? html`aria-current="page"` : ""}>${n.label}</a></li>`,
            )}
            ${s.member.operatorSince ? html`<li><a href="/ops">Operations</a></li>` : "" /* deployment operators only (docs/operations.md) */}
          </ul>
        </nav>
        <div class="who">
          <span>${s.member.email} (${s.member.role})</span>
          <form method="post" action="/console/sign-out">${csrfField(s.csrfToken)}<button type="submit">Sign out</button></form>
        </div>
      </header>`
    : html`<header class="top"><span class="brand">Laurel console</span></header>`;
  return html`<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <title>${opts.title} · Laurel console</title>
    <link rel="stylesheet" href="/console/assets/console.css?v=${v}" />
  </head>
  <body>
    <a class="skip" href="#main">Skip to content</a>
    ${header}
    <main id="main">
      <h1>${opts.title}</h1>
      ${opts.body}
    </main>
  </body>
</html>`;
}

export function csrfField(token: string): Html {
  return html`<input type="hidden" name="_csrf" value="${token}" />`;
}

export interface FieldOptions {
  name: string;
  label: string;
  type?: string;
  value?: string;
  error?: string;
  hint?: string;
  required?: boolean;
  autocomplete?: string;
  maxlength?: number;
}

/** A labelled input with its hint and its error (announced with the field: aria-describedby). */
export function field(o: FieldOptions): Html {
  const id = `f-${o.name}`;
  const described = [o.hint ? `${id}-hint` : "", o.error ? `${id}-error` : ""].filter(Boolean).join(" ");
  return html`<div>
    <label for="${id}">${o.label}</label>
    <input id="${id}" name="${o.name}" type="${o.type ?? "text"}" value="${o.value ?? ""}"
      ${o.required ? html`required` : ""} ${o.autocomplete ? html`autocomplete="${o.autocomplete}"` : ""}
      ${o.maxlength ? html`maxlength="${o.maxlength}"` : ""}
      ${described ? html`aria-describedby="${described}"` : ""} ${o.error ? html`aria-invalid="true"` : ""} />
    ${o.hint ? html`<p class="hint" id="${id}-hint">${o.hint}</p>` : ""}
    ${o.error ? html`<p class="error" id="${id}-error">${o.error}</p>` : ""}
  </div>`;
}

/** A page-level message (success or failure), announced to screen readers. */
export function notice(text: string | undefined, kind: "notice" | "alert" = "notice"): Html | string {
  if (!text) return "";
  return html`<p class="${kind}" role="${kind === "alert" ? "alert" : "status"}">${text}</p>`;
}

export function formatDate(d: Date | null | undefined): string {
  return d ? d.toISOString().replace("T", " ").slice(0, 16) + " UTC" : "";
}
