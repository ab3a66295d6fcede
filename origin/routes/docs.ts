// The API description: GET /openapi.json (OpenAPI 3.1, generated from the routes' zod schemas)
// and GET /docs, a self-contained HTML rendering of the same document (no scripts, no third-party
// requests).
import type { OpenAPIHono } from "@hono/zod-openapi";
import type { OriginHono } from "../env.ts";
import { renderDocsPage } from "./docs-page.ts";

const CONFIG = {
  openapi: "3.1.0",
  info: {
    title: "Laurel issuer API",
    version: "1.0.0",
    description:
      "Issue, list and revoke Open Badges 3.0 credentials (VC-JWT). Authenticate with `Authorization: Bearer <api key>`; " +
      "each route needs one scope of the key (`read`, `issue`, `revoke`, `manage`: listed per operation under security), " +
      "else 403 `INSUFFICIENT_SCOPE`. An operator acts for any org with `Authorization: Bearer <admin token>` plus " +
      "`Laurel-Org: <org slug or id>` (every scope). " +
      "Errors are RFC 9457 `application/problem+json` with a stable `code`. Objects of other orgs answer 404.",
  },
  tags: [
    { name: "Orgs", description: "Tenants (admin token)" },
    { name: "Operators", description: "Console accounts that may open /ops (admin token)" },
    { name: "Achievements", description: "What credentials certify" },
    { name: "Credentials", description: "Issued credentials" },
    { name: "Batches", description: "Bulk issuance" },
    { name: "Keys", description: "Signing keys" },
    { name: "API keys", description: "The org's API keys and their scopes" },
    { name: "Webhooks", description: "Signed event notifications (Standard Webhooks) to the org's endpoints" },
    { name: "Notifications", description: "Recipient emails: the org's settings (docs/recipients.md)" },
  ],
};

/** Registers /openapi.json and /docs; call after every other route so the document covers them all. */
export function registerDocsRoutes(app: OpenAPIHono<OriginHono>) {
  app.openAPIRegistry.registerComponent("securitySchemes", "apiKey", {
    type: "http",
    scheme: "bearer",
    description:
      "An org API key (lrl_live_…), shown once when made (org creation, POST /v1/api-keys). Scopes: read, issue, revoke, manage.",
  });
  app.openAPIRegistry.registerComponent("securitySchemes", "adminToken", {
    type: "http",
    scheme: "bearer",
    description: "The operator's ADMIN_TOKEN. On the org routes it acts for the org named in the Laurel-Org header (slug or id).",
  });

  app.doc31("/openapi.json", (c) => ({ ...CONFIG, servers: [{ url: new URL(c.req.url).origin }] }));

  let page: string | undefined; // the document is fixed once the routes are registered
  app.get("/docs", (c) => {
    c.var.rc.operation = "docs";
    page ??= renderDocsPage(app.getOpenAPI31Document(CONFIG) as unknown as Record<string, unknown>);
    return c.html(page, 200, {
      "content-security-policy": "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'",
      "cache-control": "public, max-age=300",
    });
  });
}
