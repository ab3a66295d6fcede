// Public identifiers derived from PUBLIC_BASE_URL (docs/api.md "Identifiers").
import { AppError } from "../../../shared/http/problem.ts";
import { issuerDid } from "../../../shared/keys/index.ts";
import type { OriginEnv } from "../../env.ts";

/** PUBLIC_BASE_URL without a trailing slash; issuance cannot make public ids without it. */
export function publicBaseUrl(env: Pick<OriginEnv, "PUBLIC_BASE_URL">): string {
  const base = env.PUBLIC_BASE_URL?.replace(/\/+$/, "");
  if (!base) throw new AppError(503, "NOT_CONFIGURED", "PUBLIC_BASE_URL is not configured.");
  return base;
}

/** `<PUBLIC_BASE_URL>/c/<uuid>`: where anyone can verify the credential. */
export const verifyUrlOf = (base: string, credentialId: string) => `${base}/c/${credentialId}`;

/** `<PUBLIC_BASE_URL>/status/<list id>`: the status list credential. */
export const statusListUrlOf = (base: string, listId: string) => `${base}/status/${listId}`;

/** `did:web:<host>:issuers:<slug>` (port colon as %3A). */
export const issuerIdOf = (base: string, slug: string) => issuerDid(base, slug);
