// Public identifiers the origin writes into credentials and projections, all from PUBLIC_BASE_URL
// as origin/env.ts parses it, and all shaped by shared/public-urls.ts (docs/api.md "Identifiers"),
// so a projection always names what the credential names.
import { issuerDid } from "../../../shared/keys/did-web.ts";
import { statusListUrl as statusListUrlUnder } from "../../../shared/public-urls.ts";
import { originSetting, type OriginEnv } from "../../env.ts";

type PublicUrlEnv = Pick<OriginEnv, "PUBLIC_BASE_URL">;

/** PUBLIC_BASE_URL in canonical form; throws SettingError (503 NOT_CONFIGURED) when unset or malformed. */
export const publicBaseUrl = (env: PublicUrlEnv): string => originSetting(env, "PUBLIC_BASE_URL");

/** The issuer's did:web for an org slug (`did:web:<host>:issuers:<slug>`, port colon as %3A). */
export const didForSlug = (env: PublicUrlEnv, slug: string) => issuerDid(publicBaseUrl(env), slug);

/** `<PUBLIC_BASE_URL>/status/<list id>`: the statusListCredential URL and the list credential's id. */
export const statusListUrl = (env: PublicUrlEnv, listId: string) => statusListUrlUnder(publicBaseUrl(env), listId);
