// The origin URLs recipient emails link to, built from ORIGIN_BASE_URL (queue consumers have no
// request URL): wallet sign-in and one-click unsubscribe.
import { originSetting, type OriginEnv } from "../../env.ts";
import { secretsEqual } from "../../auth/tokens.ts";
import { linkSignature } from "../recipients/email-hash.ts";

type LinkEnv = Pick<OriginEnv, "ORIGIN_BASE_URL" | "KEY_ENCRYPTION_SECRET">;

/** `<origin>/wallet/sign-in?token=…`: the one-time wallet sign-in link. */
export function walletSignInUrl(env: Pick<OriginEnv, "ORIGIN_BASE_URL">, token: string): string {
  return `${originSetting(env, "ORIGIN_BASE_URL")}/wallet/sign-in?${new URLSearchParams({ token })}`;
}

/** `<origin>/wallet`: where a recipient asks for a sign-in link. */
export function walletUrl(env: Pick<OriginEnv, "ORIGIN_BASE_URL">): string {
  return `${originSetting(env, "ORIGIN_BASE_URL")}/wallet`;
}

/**
 * `<origin>/unsubscribe?org=…&r=…&sig=…`: opts the recipient (by email hash) out of the org's
 * notification emails. Signed, so it cannot be made for another address or org.
 */
export async function unsubscribeUrl(env: LinkEnv, orgId: string, emailHash: string): Promise<string> {
  const sig = await linkSignature(env.KEY_ENCRYPTION_SECRET, `unsubscribe\u0000${orgId}\u0000${emailHash}`);
  return `${originSetting(env, "ORIGIN_BASE_URL")}/unsubscribe?${new URLSearchParams({ org: orgId, r: emailHash, sig })}`;
}

/** Whether an unsubscribe link's signature is ours. */
export async function unsubscribeSignatureOk(env: LinkEnv, orgId: string, emailHash: string, sig: string): Promise<boolean> {
  const expected = await linkSignature(env.KEY_ENCRYPTION_SECRET, `unsubscribe\u0000${orgId}\u0000${emailHash}`);
  return secretsEqual(expected, sig);
}
