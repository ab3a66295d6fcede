// The recipients' wallet (server-rendered HTML, no scripts) and the unsubscribe link of
// notification emails. Sign-in is by a one-time emailed link bound to the address's hash; the
// session is a server-side row behind an HttpOnly cookie, and every state-changing form carries the
// session's CSRF token (403 without it). docs/recipients.md describes the whole flow.
import type { OpenAPIHono } from "@hono/zod-openapi";
import type { Context } from "hono";
import { getCookie, setCookie, deleteCookie } from "hono/cookie";
import { decodeUtf8 } from "../http/body.ts";
import { readBodyCapped } from "../../shared/http/body.ts";
import { AppError } from "../../shared/http/problem.ts";
import { database } from "../db/client.ts";
import type { OriginHono } from "../env.ts";
import { hostCookie, type HostCookie } from "../http/host-cookie.ts";
import { mailSender } from "../services/mail/sender.ts";
import { signInLetter } from "../services/notifications/content.ts";
import { unsubscribeSignatureOk, walletSignInUrl } from "../services/notifications/links.ts";
import { publicBaseUrl } from "../services/publication/public-url.ts";
import { secretsEqual } from "../auth/tokens.ts";
import { clientHash, recipientEmailHash } from "../services/recipients/email-hash.ts";
import { closeSession, findSession, openSession, SESSION_TTL_MS, type WalletSession } from "../services/recipients/sessions.ts";
import { createSignInToken, recentRequests, redeemSignInToken } from "../services/recipients/sign-in-tokens.ts";
import { hasCredentials, hidesName, optOut, setHidden, setHideName, walletCredentials } from "../services/recipients/wallet.ts";
import { EMAIL_MAX, EMAIL_PATTERN } from "../services/issuance/recipient.ts";
import * as pages from "./wallet-pages.ts";

type Ctx = Context<OriginHono>;

/** Forms are a few fields: anything larger is refused before parsing. */
const FORM_LIMIT = 4096;
/** Sign-in links one address may ask for per hour, and one client (network address) for any addresses. */
export const SIGN_IN_LIMITS = { perEmail: 3, perClient: 10, windowMs: 3_600_000 } as const;

const CSP = "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

function page(c: Ctx, body: string, status: 200 | 400 | 403 | 404 = 200) {
  return c.html(body, status, {
    "content-security-policy": CSP,
    "cache-control": "no-store",
    "referrer-policy": "no-referrer",
    "x-content-type-options": "nosniff",
  });
}

/** `__Host-laurel_wallet` on https, `laurel_wallet` on local http. */
function walletCookie(c: Ctx): HostCookie {
  return hostCookie(c.env, "laurel_wallet");
}

async function form(c: Ctx): Promise<URLSearchParams> {
  const type = (c.req.header("content-type") ?? "").split(";")[0]!.trim().toLowerCase();
  if (type !== "application/x-www-form-urlencoded") throw new AppError(415, "UNSUPPORTED_MEDIA_TYPE", "Send the form as application/x-www-form-urlencoded.");
  return new URLSearchParams(decodeUtf8(await readBodyCapped(c.req.raw, FORM_LIMIT)));
}

async function session(c: Ctx): Promise<WalletSession | null> {
  return findSession(database(c.env), getCookie(c, walletCookie(c).name), Date.now());
}

/** The session of a state-changing form, its CSRF token checked: 403 otherwise. */
async function formSession(c: Ctx): Promise<{ s: WalletSession; fields: URLSearchParams } | Response> {
  const s = await session(c);
  if (!s) return c.redirect("/wallet", 303);
  const fields = await form(c);
  if (!(await secretsEqual(fields.get("csrf") ?? "", s.csrfToken))) throw new AppError(403, "FORBIDDEN", "csrf: the form's CSRF token is missing or wrong. Reload the page and try again.");
  return { s, fields };
}

/** Registers the wallet pages and the unsubscribe link. */
export function registerWalletRoutes(app: OpenAPIHono<OriginHono>) {
  app.get("/wallet/wallet.css", (c) => c.body(pages.WALLET_CSS, 200, { "content-type": "text/css; charset=utf-8", "cache-control": "public, max-age=3600" }));

  app.get("/wallet", async (c) => {
    c.var.rc.operation = "wallet.home";
    if (await session(c)) return c.redirect("/wallet/credentials", 303);
    return page(c, pages.signInRequestPage());
  });

  // Always the same answer, sent or not: the form must not tell who has credentials here. The link
  // is sent after the answer (waitUntil), so the timing does not tell either.
  app.post("/wallet", async (c) => {
    c.var.rc.operation = "wallet.request-link";
    const email = (await form(c)).get("email")?.trim().toLowerCase() ?? "";
    if (email.length > EMAIL_MAX || !EMAIL_PATTERN.test(email)) return page(c, pages.signInRequestPage(), 400);
    const log = c.var.rc.log;
    const env = c.env;
    const client = c.req.header("cf-connecting-ip") ?? "local";
    const work = (async () => {
      const db = database(env);
      const now = Date.now();
      const [emailHash, clientKey] = await Promise.all([recipientEmailHash(env.KEY_ENCRYPTION_SECRET, email), clientHash(env.KEY_ENCRYPTION_SECRET, client)]);
      const recent = await recentRequests(db, emailHash, clientKey, now - SIGN_IN_LIMITS.windowMs);
      if (recent.forEmail >= SIGN_IN_LIMITS.perEmail || recent.forClient >= SIGN_IN_LIMITS.perClient) return log.info("wallet sign-in link not sent: rate limited");
      const token = await createSignInToken(db, emailHash, "requested", now, clientKey);
      if (!(await hasCredentials(db, emailHash))) return;
      const mail = mailSender(env);
      if (!mail) return log.warn("wallet sign-in link not sent: mail not configured");
      const letter = signInLetter(walletSignInUrl(env, token), 30);
      await mail.sender.send({ to: email, from: { name: "Laurel", address: mail.from }, ...letter, headers: {}, idempotencyKey: `sign-in/${token.slice(0, 16)}` });
    })().catch((error: unknown) => log.error("wallet sign-in link failed", { error }));
    c.executionCtx.waitUntil(work);
    return page(c, pages.signInRequestedPage());
  });

  app.get("/wallet/sign-in", (c) => {
    c.var.rc.operation = "wallet.sign-in";
    const token = c.req.query("token") ?? "";
    if (token.length === 0 || token.length > 100) return page(c, pages.signInFailedPage(), 400);
    return page(c, pages.signInConfirmPage(token));
  });

  app.post("/wallet/sign-in", async (c) => {
    c.var.rc.operation = "wallet.sign-in";
    const db = database(c.env);
    const emailHash = await redeemSignInToken(db, (await form(c)).get("token") ?? "", Date.now());
    if (!emailHash) return page(c, pages.signInFailedPage(), 400);
    const { name, options } = walletCookie(c);
    const value = await openSession(db, emailHash, Date.now());
    setCookie(c, name, value, { ...options, maxAge: SESSION_TTL_MS / 1000 });
    return c.redirect("/wallet/credentials", 303);
  });

  app.get("/wallet/credentials", async (c) => {
    c.var.rc.operation = "wallet.credentials";
    const s = await session(c);
    if (!s) return c.redirect("/wallet", 303);
    const db = database(c.env);
    const [list, hideName] = await Promise.all([walletCredentials(db, s.emailHash), hidesName(db, s.emailHash)]);
    return page(c, pages.credentialsPage(list, publicBaseUrl(c.env), s.csrfToken, hideName));
  });

  app.post("/wallet/credentials/:id/:action{hide|unhide}", async (c) => {
    c.var.rc.operation = "wallet.hide";
    const checked = await formSession(c);
    if (checked instanceof Response) return checked;
    const found = await setHidden(database(c.env), checked.s.emailHash, c.req.param("id").slice(0, 64), c.req.param("action") === "hide");
    if (!found) throw new AppError(404, "NOT_FOUND", "No credential of yours with this id.");
    return c.redirect("/wallet/credentials", 303);
  });

  app.post("/wallet/preferences", async (c) => {
    const rc = c.var.rc;
    rc.operation = "wallet.preferences";
    const checked = await formSession(c);
    if (checked instanceof Response) return checked;
    const choice = checked.fields.get("name");
    if (choice !== "shown" && choice !== "hidden") throw new AppError(400, "BAD_REQUEST", 'name: must be "shown" or "hidden".');
    const republished = await setHideName(c.env, database(c.env), checked.s.emailHash, choice === "hidden", rc.requestId, rc.log);
    rc.log.info("recipient name choice saved", { republished });
    return c.redirect("/wallet/credentials", 303);
  });

  app.post("/wallet/sign-out", async (c) => {
    c.var.rc.operation = "wallet.sign-out";
    const checked = await formSession(c);
    if (checked instanceof Response) return checked;
    const { name, options } = walletCookie(c);
    await closeSession(database(c.env), getCookie(c, name) ?? "");
    deleteCookie(c, name, { path: "/", secure: options.secure });
    return c.redirect("/wallet", 303);
  });

  // RFC 8058 one-click: mail clients POST `List-Unsubscribe=One-Click` to the link itself; the
  // GET shows a confirmation button (a GET changes nothing, as mail scanners follow links).
  const unsubscribeTarget = async (c: Ctx) => {
    const org = c.req.query("org") ?? "";
    const r = c.req.query("r") ?? "";
    const sig = c.req.query("sig") ?? "";
    if (org.length > 64 || r.length > 64 || sig.length > 64 || !(await unsubscribeSignatureOk(c.env, org, r, sig))) return null;
    const found = await database(c.env).$client.execute({ sql: "SELECT name FROM orgs WHERE id = ?", args: [org] });
    return found.rows[0] ? { orgId: org, emailHash: r, orgName: String(found.rows[0].name) } : null;
  };
  app.get("/unsubscribe", async (c) => {
    c.var.rc.operation = "unsubscribe.confirm";
    const target = await unsubscribeTarget(c);
    if (!target) return page(c, pages.linkInvalidPage(), 404);
    return page(c, pages.unsubscribePage(new URL(c.req.url).pathname + new URL(c.req.url).search, target.orgName));
  });
  app.post("/unsubscribe", async (c) => {
    c.var.rc.operation = "unsubscribe";
    const target = await unsubscribeTarget(c);
    if (!target) return page(c, pages.linkInvalidPage(), 404);
    await optOut(database(c.env), target.emailHash, target.orgId);
    return page(c, pages.unsubscribedPage(target.orgName));
  });
}
