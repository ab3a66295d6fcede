// Drives the origin's issuer API (docs/api.md "Issuer API") for end-to-end tests: an org,
// an achievement and credentials, as an integrator would.
import type { RunningStack } from "./stack.ts";

export interface IssuedCredential {
  id: string;
  status: string;
  verifyUrl: string;
  jwt: string;
}

async function call<T>(stack: RunningStack, path: string, token: string, body: unknown, headers: Record<string, string> = {}): Promise<T> {
  const res = await fetch(`${stack.originUrl}${path}`, {
    method: "POST",
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json", ...headers },
    body: JSON.stringify(body),
  });
  const text = await res.text();
  if (res.status >= 300) throw new Error(`POST ${path} answered ${res.status}: ${text}`);
  return JSON.parse(text) as T;
}

/** An issuer org (admin call) with its API key. */
export async function createOrg(stack: RunningStack, name: string, slug: string): Promise<{ id: string; slug: string; apiKey: string }> {
  return call(stack, "/v1/orgs", stack.adminToken, { name, slug });
}

/** An achievement of the org owning `apiKey`. */
export async function createAchievement(
  stack: RunningStack,
  apiKey: string,
  body: { name: string; description: string; criteria: { narrative: string } },
): Promise<{ id: string }> {
  return call(stack, "/v1/achievements", apiKey, body);
}

/** Issues one credential (with a fresh Idempotency-Key). */
export async function issueCredential(
  stack: RunningStack,
  apiKey: string,
  body: { achievementId: string; recipient: { name: string; email: string }; validFrom?: string; validUntil?: string },
): Promise<IssuedCredential> {
  return call(stack, "/v1/credentials", apiKey, body, { "idempotency-key": crypto.randomUUID() });
}

/** Revokes a credential with the issuer's reason. */
export async function revokeCredential(stack: RunningStack, apiKey: string, id: string, reason: string): Promise<void> {
  await call(stack, `/v1/credentials/${id}/revoke`, apiKey, { reason });
}
