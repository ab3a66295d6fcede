// The span export settings both Workers read (origin/env.ts and edge/env.ts add them to their settings).
import * as z from "zod/mini";

/** OTEL_EXPORTER_OTLP_ENDPOINT / OTEL_TRACES_QUERY_URL: an http(s) base URL, trailing slashes dropped; unset turns the feature off. */
export const otlpEndpointSetting = z.optional(
  z.pipe(
    z.url({ protocol: /^https?$/, error: "must be an http(s) URL" }),
    z.transform((raw: string) => raw.replace(/\/+$/, "")),
  ),
);

const HEADER_NAME = /^[A-Za-z0-9!#$%&'*+.^_`|~-]{1,64}$/;

/** Parses `name=value,name=value` (values URL-encoded, as the OpenTelemetry SDKs read this setting); null when malformed. */
export function parseOtlpHeaders(raw: string): Record<string, string> | null {
  if (raw.length > 4096) return null;
  const headers: Record<string, string> = {};
  for (const pair of raw.split(",")) {
    if (pair.trim() === "") continue;
    const at = pair.indexOf("=");
    if (at <= 0) return null;
    const name = pair.slice(0, at).trim();
    let value: string;
    try {
      value = decodeURIComponent(pair.slice(at + 1).trim());
    } catch {
      return null;
    }
    if (!HEADER_NAME.test(name) || /[\r\n]/.test(value)) return null;
    headers[name.toLowerCase()] = value;
  }
  return headers;
}

/** OTEL_EXPORTER_OTLP_HEADERS: headers sent with every export (and every trace query); a secret. */
export const otlpHeadersSetting = z._default(
  z.pipe(
    z.string(),
    z.transform((raw: string, ctx) => {
      const parsed = parseOtlpHeaders(raw);
      if (parsed === null) {
        ctx.issues.push({ code: "custom", message: "must be name=value pairs separated by commas (values URL-encoded)", input: raw });
        return z.NEVER;
      }
      return parsed;
    }),
  ),
  {} as Record<string, string>,
);
