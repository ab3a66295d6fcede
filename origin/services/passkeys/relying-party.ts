// The passkeys' relying party and limits: kept apart from passkeys.ts so that pages can use them
// without loading the WebAuthn verifier.
import { originSetting, type OriginEnv } from "../../env.ts";

/** Largest WebAuthn response JSON accepted (a real one is a few KB). */
export const MAX_RESPONSE_CHARS = 32_000;
export const PASSKEY_NAME_MAX = 100;

export type RelyingPartyEnv = Pick<OriginEnv, "ORIGIN_BASE_URL">;

/**
 * The relying party: the console's host and origin. WebAuthn accepts no IP address as RP ID, so a
 * loopback IP (the local stack's http://127.0.0.1:<port>) becomes `localhost` on the same port:
 * locally, passkeys work on http://localhost:<port>/console.
 */
export function relyingParty(env: RelyingPartyEnv): { rpID: string; origin: string } {
  const base = new URL(originSetting(env as OriginEnv, "ORIGIN_BASE_URL"));
  if (/^127\.\d+\.\d+\.\d+$/.test(base.hostname) || base.hostname === "[::1]") base.hostname = "localhost";
  return { rpID: base.hostname, origin: base.origin };
}
