// The console's cookies: `__Host-` names on https, plain names on local http (http/host-cookie.ts).
import type { Context } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import { randomToken } from "../auth/random-token.ts";
import type { OriginEnv } from "../env.ts";
import { hostCookie, type HostCookie } from "../http/host-cookie.ts";

function consoleCookie(c: Context<any>, base: "laurel_session" | "laurel_csrf"): HostCookie {
  return hostCookie(c.env as OriginEnv, base);
}

export function readSessionCookie(c: Context<any>): string | undefined {
  return getCookie(c, consoleCookie(c, "laurel_session").name);
}

/** The session cookie: no Max-Age (it ends with the browser); the server ends it sooner after inactivity. */
export function writeSessionCookie(c: Context<any>, id: string): void {
  const { name, options } = consoleCookie(c, "laurel_session");
  setCookie(c, name, id, options);
}

export function clearSessionCookie(c: Context<any>): void {
  const { name, options } = consoleCookie(c, "laurel_session");
  deleteCookie(c, name, options);
}

/**
 * The CSRF token of forms shown before a session exists (sign-in, setup): a random value in a
 * cookie that the form repeats (double submit). Made on first need.
 */
export function preSessionCsrf(c: Context<any>): string {
  const { name, options } = consoleCookie(c, "laurel_csrf");
  let token = getCookie(c, name);
  if (!token || !/^[\w-]{43}$/.test(token)) {
    token = randomToken(32);
    setCookie(c, name, token, options);
  }
  return token;
}

export function readPreSessionCsrf(c: Context<any>): string | undefined {
  return getCookie(c, consoleCookie(c, "laurel_csrf").name);
}
