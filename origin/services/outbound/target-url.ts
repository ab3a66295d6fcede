// Which URLs the origin may call on a customer's behalf (webhook receivers, LMS base URLs): the
// shared SSRF rules (shared/net/ssrf.ts) with one local-development exception. Checked when the URL
// is configured (422 URL_NOT_ALLOWED naming the field) and again before every request, since the
// rules or the setting may have changed since.
import * as z from "zod/mini";
import { checkOutboundUrl, type OutboundCheck } from "../../../shared/net/ssrf.ts";
import { AppError } from "../../../shared/http/problem.ts";
import { originSetting, type OriginEnv } from "../../env.ts";

/** ALLOW_LOCAL_HTTP_TARGETS: "true" lets `http://127.0.0.1:*` (and other loopback) receivers through; off by default. */
export const allowLocalHttpTargetsSetting = z._default(
  z.pipe(
    z.enum(["true", "false"], { error: 'must be "true" or "false"' }),
    z.transform((raw: "true" | "false") => raw === "true"),
  ),
  false,
);

/**
 * Checks a customer-supplied URL: https only, a public DNS name (no IP literals, no `localhost`,
 * single-label or special-use names). With ALLOW_LOCAL_HTTP_TARGETS (the local stack only), loopback
 * hosts over http or https are accepted too, so a developer can point a webhook at 127.0.0.1.
 */
export function checkTargetUrl(raw: string, env: Pick<OriginEnv, "ALLOW_LOCAL_HTTP_TARGETS">): OutboundCheck {
  return checkOutboundUrl(raw, { allowLoopback: originSetting(env, "ALLOW_LOCAL_HTTP_TARGETS") });
}

/** The 422 problem for a refused URL, naming the request field (`url`, `baseUrl`) and the rule it broke. */
export function targetUrlRefused(field: string, reason: string): AppError {
  return new AppError(422, "URL_NOT_ALLOWED", `The ${field} is not allowed: ${reason}.`, {
    errors: [{ field, rule: "public_https_url", detail: reason }],
  });
}

/** Checks `raw` for the request field `field`; throws the 422 problem when refused. */
export function requireTargetUrl(field: string, raw: string, env: Pick<OriginEnv, "ALLOW_LOCAL_HTTP_TARGETS">): URL {
  const check = checkTargetUrl(raw, env);
  if (!check.ok) throw targetUrlRefused(field, check.reason);
  return check.url;
}
