// API-key scopes: what each route needs, how a missing scope is answered, and how it is documented.
// Routes name their scope twice, side by side: `apiKeyAuth(scope)` enforces it and
// `scopeSecurity(scope)` puts it in the OpenAPI document (origin/routes/scopes.test.ts checks that
// every documented scope is the enforced one).
import { AppError } from "../../shared/http/problem.ts";
import { API_KEY_SCOPES, type ApiKeyScope } from "../db/schema/api-keys.ts";

export { API_KEY_SCOPES, type ApiKeyScope };

/**
 * What each scope allows (the OpenAPI document and README list the same):
 * - read: every GET of the org's objects (achievements, credentials, batches, signing keys);
 * - issue: creating achievements and issuing credentials, one by one or in batches;
 * - revoke: revoking credentials;
 * - manage: API keys, signing keys (rotation, revocation), webhook endpoints and notification settings.
 */
export const SCOPE_DESCRIPTIONS: Record<ApiKeyScope, string> = {
  read: "Read the org's achievements, credentials, batches and signing keys",
  issue: "Create achievements and issue credentials (single and batch)",
  revoke: "Revoke credentials",
  manage: "Manage API keys, signing keys (rotate, revoke), webhook endpoints and notification settings",
};

/**
 * The OpenAPI security requirement of a route needing `scope` (OpenAPI 3.1 allows scopes for any
 * scheme type): an API key with the scope, or the admin token acting for an org (`Laurel-Org`).
 */
export function scopeSecurity(scope: ApiKeyScope): Record<string, string[]>[] {
  return [{ apiKey: [scope] }, { adminToken: [] }];
}

/** 403 INSUFFICIENT_SCOPE, with the RFC 6750 §3.1 `insufficient_scope` challenge naming the scope. */
export function insufficientScope(scope: ApiKeyScope, route: string): AppError {
  return new AppError(403, "INSUFFICIENT_SCOPE", `This API key lacks the "${scope}" scope, which ${route} requires.`, {
    headers: { "www-authenticate": `Bearer realm="laurel", error="insufficient_scope", scope="${scope}"` },
  });
}
