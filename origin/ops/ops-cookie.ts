// The operators' browser session: after the admin token is given once on /ops/sign-in, a cookie
// `<expiry ms>.<HMAC-SHA256(expiry) keyed with ADMIN_TOKEN>` (HttpOnly, SameSite=Strict, Path=/ops,
// Secure on https) stands for it for OPS_SESSION_SECONDS. Keyed with the token itself, so rotating
// ADMIN_TOKEN ends every operator session at once; nothing is stored server-side.
import type { Context } from "hono";
import { base64url } from "jose";
import { getCookie, setCookie } from "hono/cookie";
import { secretsEqual } from "../auth/tokens.ts";
import { originSetting, type OriginEnv } from "../env.ts";

/** How long an operator's browser session lasts. */
export const OPS_SESSION_SECONDS = 60 * 60;

function cookieName(env: OriginEnv): string {
  // `__Host-` needs Path=/, and this cookie is scoped to /ops: the Secure flag and SameSite=Strict guard it instead.
  void env;
  return "laurel_ops";
}

async function mac(adminToken: string, expires: number): Promise<string> {
  const key = await crypto.subtle.importKey("raw", new TextEncoder().encode(adminToken), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
  const signed = await crypto.subtle.sign("HMAC", key, new TextEncoder().encode(`laurel-ops-session.${expires}`));
  return base64url.encode(new Uint8Array(signed));
}

/** Sets the session cookie (the caller has checked the admin token). */
export async function writeOpsCookie(c: Context<any>, now = Date.now()): Promise<void> {
  const env = c.env as OriginEnv;
  const expires = now + OPS_SESSION_SECONDS * 1000;
  setCookie(c, cookieName(env), `${expires}.${await mac(env.ADMIN_TOKEN!, expires)}`, {
    path: "/ops",
    httpOnly: true,
    secure: originSetting(env, "ORIGIN_BASE_URL").startsWith("https:"),
    sameSite: "Strict",
    maxAge: OPS_SESSION_SECONDS,
  });
}

/** Whether the request carries a valid, unexpired operator session cookie. */
export async function hasOpsSession(c: Context<any>, now = Date.now()): Promise<boolean> {
  const env = c.env as OriginEnv;
  if (!env.ADMIN_TOKEN) return false;
  const value = getCookie(c, cookieName(env));
  const match = value ? /^(\d{13})\.([\w-]{43})$/.exec(value) : null;
  if (!match) return false;
  const expires = Number(match[1]);
  if (expires <= now || expires > now + OPS_SESSION_SECONDS * 1000) return false;
  return secretsEqual(match[2]!, await mac(env.ADMIN_TOKEN, expires));
}
