// Public identifiers the projections carry, from the same PUBLIC_BASE_URL rules as issuance
// (origin/services/issuance/urls.ts), so a projection always names what the credential names.
import type { OriginEnv } from "../../env.ts";
import { issuerIdOf, publicBaseUrl, statusListUrlOf } from "../issuance/urls.ts";

/** The issuer's did:web for an org slug (docs/api.md "Identifiers"). */
export function didForSlug(env: Pick<OriginEnv, "PUBLIC_BASE_URL">, slug: string): string {
  return issuerIdOf(publicBaseUrl(env), slug);
}

/** `<PUBLIC_BASE_URL>/status/<list id>`: the statusListCredential URL and the list credential's id. */
export function statusListUrl(env: Pick<OriginEnv, "PUBLIC_BASE_URL">, listId: string): string {
  return statusListUrlOf(publicBaseUrl(env), listId);
}
