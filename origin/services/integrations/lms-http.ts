// One LMS request through the outbound guard (services/outbound/guarded-fetch.ts), and what its
// answer means for the sync: a body to parse, a reason to retry the step later (429, 5xx, no
// answer) or a reason to fail the sync (refused URL, redirect, bad token, other 4xx, oversized
// answer). Reasons never contain the request URL: a Moodle URL carries the token.
import type { OriginEnv } from "../../env.ts";
import { guardedFetch } from "../outbound/guarded-fetch.ts";
import type { Pacer } from "./pacer.ts";

/** Deadline of one LMS request, answer included. */
export const LMS_REQUEST_TIMEOUT_MS = 10_000;
/** Largest LMS answer read (a Moodle course roster of 10,000 users is about 3 MB). */
export const LMS_MAX_RESPONSE_BYTES = 8 * 1024 * 1024;
/** Longest wait honoured from a Retry-After header. */
export const MAX_RETRY_AFTER_SECONDS = 300;

/** Why an LMS call did not give a usable answer. `retryAfterSeconds` set: worth retrying the step then. */
export class LmsError extends Error {
  readonly retryAfterSeconds: number | null;
  /** The offending answer (truncated), for the sync's error report. */
  readonly record: string | null;
  constructor(message: string, retryAfterSeconds: number | null = null, record: string | null = null) {
    super(message);
    this.retryAfterSeconds = retryAfterSeconds;
    this.record = record;
  }
  get retryable(): boolean {
    return this.retryAfterSeconds !== null;
  }
}

export interface LmsCallContext {
  env: Pick<OriginEnv, "ALLOW_LOCAL_HTTP_TARGETS">;
  pacer: Pacer;
}

/** The first `max` characters of an answer, for error reports. */
export function snippet(text: string, max = 300): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}

/** Seconds from a Retry-After header (delta-seconds or HTTP-date), clamped to 1..MAX; `fallback` when absent or unreadable. */
export function retryAfterSeconds(header: string | null, fallback: number, now = Date.now()): number {
  let seconds = fallback;
  if (header !== null && header.length <= 64) {
    const trimmed = header.trim();
    if (/^\d+$/.test(trimmed)) seconds = Number(trimmed);
    else {
      const at = Date.parse(trimmed);
      if (!Number.isNaN(at)) seconds = Math.ceil((at - now) / 1000);
    }
  }
  return Math.min(MAX_RETRY_AFTER_SECONDS, Math.max(1, seconds));
}

export interface LmsAnswer {
  headers: Headers;
  text: string;
}

/** GETs `url` with `headers`; returns a 2xx answer's text or throws LmsError. */
export async function lmsGet(ctx: LmsCallContext, url: string, headers: Record<string, string>, what: string): Promise<LmsAnswer> {
  const result = await ctx.pacer.run(() =>
    guardedFetch({ url, headers: { accept: "application/json", ...headers }, timeoutMs: LMS_REQUEST_TIMEOUT_MS, maxResponseBytes: LMS_MAX_RESPONSE_BYTES }, ctx.env),
  );
  switch (result.kind) {
    case "refused":
      throw new LmsError(`${what}: the LMS URL is not allowed (${result.reason})`);
    case "too_large":
      throw new LmsError(`${what}: ${result.reason}`);
    case "timeout":
    case "network_error":
      throw new LmsError(`${what}: ${result.kind === "timeout" ? result.reason : "the LMS could not be reached"}`, 30);
    case "response":
      break;
  }
  const text = new TextDecoder().decode(result.body);
  const status = result.status;
  if (status >= 200 && status < 300) return { headers: result.headers, text };
  if (status >= 300 && status < 400) {
    // Typically an expired session or SSO sending the API client to a login page.
    throw new LmsError(`${what}: the LMS answered ${status}, a redirect (to ${redirectTarget(result.headers.get("location"))}; a login page?)`);
  }
  if (status === 429) throw new LmsError(`${what}: the LMS is rate limiting (429)`, retryAfterSeconds(result.headers.get("retry-after"), 10), snippet(text));
  if (status >= 500) throw new LmsError(`${what}: the LMS answered ${status}`, retryAfterSeconds(result.headers.get("retry-after"), 30), snippet(text));
  if (status === 401 || status === 403) throw new LmsError(`${what}: the LMS refused the token (${status})${canvasMessage(text)}`, null, snippet(text));
  throw new LmsError(`${what}: the LMS answered ${status}${canvasMessage(text)}`, null, snippet(text));
}

/** Where a redirect pointed, without its query (which may carry tokens). */
function redirectTarget(location: string | null): string {
  if (!location) return "nowhere";
  try {
    const url = new URL(location, "https://lms.invalid");
    return url.host === "lms.invalid" ? url.pathname : `${url.origin}${url.pathname}`;
  } catch {
    return "an unreadable location";
  }
}

/** ": <message>" from a Canvas error body (`{"errors":[{"message":…}]}`), else "". */
function canvasMessage(text: string): string {
  try {
    const body = JSON.parse(text) as { errors?: { message?: unknown }[] };
    const message = body?.errors?.[0]?.message;
    return typeof message === "string" ? `: ${snippet(message, 200)}` : "";
  } catch {
    return "";
  }
}

/** Parses an LMS answer as JSON; throws LmsError (with the start of the answer) when it is not. */
export function parseJson(text: string, what: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    const kind = /^\s*</.test(text) ? "an HTML page" : text.trim() === "" ? "an empty answer" : "not JSON (truncated?)";
    throw new LmsError(`${what}: the LMS answered ${kind}, not JSON`, null, snippet(text));
  }
}
