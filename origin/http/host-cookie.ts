// The cookies of the origin's browser pages (the issuer console and the recipients' wallet). On
// https a name carries the `__Host-` prefix (the browser then insists on Secure, Path=/ and no
// Domain, so no sibling subdomain can plant or read it); on local http (`npm start`), where a
// `__Host-` cookie cannot be set because it needs Secure, the plain name.
import { originSetting, type OriginEnv } from "../env.ts";

export interface HostCookie {
  name: string;
  /** HttpOnly, SameSite=Lax, Path=/, Secure on https: what the console and the wallet set. */
  options: { path: "/"; httpOnly: true; secure: boolean; sameSite: "Lax" };
}

export function hostCookie(env: OriginEnv, base: string): HostCookie {
  const secure = originSetting(env, "ORIGIN_BASE_URL").startsWith("https:");
  return { name: secure ? `__Host-${base}` : base, options: { path: "/", httpOnly: true, secure, sameSite: "Lax" } };
}
