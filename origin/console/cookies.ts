// The console's cookies. On https the names carry the `__Host-` prefix (the browser then insists on
// Secure, Path=/ and no Domain, so no sibling subdomain can plant or read them); on local http
// (`npm start`), where a `__Host-` cookie cannot be set because it needs Secure, plain names.
import type { Context } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import { randomToken } from "../auth/random-token.ts";
import { originSetting, type OriginEnv } from "../env.ts";

function secure(env: OriginEnv): boolean {
  return originSetting(env, "ORIGIN_BASE_URL").startsWith("https:");
}

function cookieName(env: OriginEnv, base: "laurel_session" | "laurel_csrf"): string {
  return secure(env) ? `__Host-${base}` : base;
}

function options(env: OriginEnv) {
  return { path: "/", httpOnly: true, secure: secure(env), sameSite: "Lax" as const };
}

export function readSessionCookie(c: Context<any>): string | undefined {
  return getCookie(c, cookieName((c.env as OriginEnv), "laurel_session"));
}

/** The session cookie: no Max-Age (it ends with the browser); the server ends it sooner after inactivity. */
export function writeSessionCookie(c: Context<any>, id: string): void {
  setCookie(c, cookieName((c.env as OriginEnv), "laurel_session"), id, options((c.env as OriginEnv)));
}

export function clearSessionCookie(c: Context<any>): void {
  deleteCookie(c, cookieName((c.env as OriginEnv), "laurel_session"), options((c.env as OriginEnv)));
}

/**
 * The CSRF token of forms shown before a session exists (sign-in, setup): a random value in a
 * cookie that the form repeats (double submit). Made on first need.
 */
export function preSessionCsrf(c: Context<any>): string {
  const name = cookieName((c.env as OriginEnv), "laurel_csrf");
  let token = getCookie(c, name);
  if (!token || !/^[\w-]{43}$/.test(token)) {
    token = randomToken(32);
    setCookie(c, name, token, options((c.env as OriginEnv)));
  }
  return token;
}

export function readPreSessionCsrf(c: Context<any>): string | undefined {
  return getCookie(c, cookieName((c.env as OriginEnv), "laurel_csrf"));
}
