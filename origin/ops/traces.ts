// GET /ops/traces?requestId=… | ?traceId=…: one request's trace as a waterfall, from the trace store
// (origin/ops/traces-query.ts). Behind opsAccess() with the rest of /ops; the console's strict CSP.
import type { Hono } from "hono";
import * as z from "zod/mini";
import { CONSOLE_CSP } from "../console/security-headers.ts";
import type { OriginHono } from "../env.ts";
import { fieldErrors, validationFailed } from "../validation.ts";
import { tracesPage } from "./traces-page.ts";
import { lookUpTrace } from "./traces-query.ts";

const query = z.object({
  requestId: z.optional(z.string().check(z.regex(/^[A-Za-z0-9._:-]{1,128}$/, { error: "must be 1-128 characters: letters, digits, . _ : -" }))),
  traceId: z.optional(z.string().check(z.regex(/^[0-9a-f]{32}$/, { error: "must be 32 lowercase hex digits" }))),
});

const HEADERS = { "content-security-policy": CONSOLE_CSP, "x-frame-options": "DENY", "x-content-type-options": "nosniff", "cache-control": "no-store", "referrer-policy": "same-origin" };

export function registerTraceRoutes(ops: Hono<OriginHono>): void {
  ops.get("/traces", async (c) => {
    c.var.rc.operation = "ops.traces";
    const raw = Object.fromEntries(Object.entries(c.req.query()).filter(([, v]) => v !== ""));
    const parsed = z.safeParse(query, raw);
    if (!parsed.success) throw validationFailed("query", fieldErrors(parsed.error.issues as never));
    const { requestId, traceId } = parsed.data;
    if (!requestId && !traceId) return c.html(await tracesPage({}), 200, HEADERS);
    const found = await lookUpTrace(c.env, { requestId, traceId });
    if (found.kind === "not_configured") {
      return c.html(await tracesPage({ requestId, traceId, message: "No trace store is configured (OTEL_TRACES_QUERY_URL)." }), 200, HEADERS);
    }
    if (found.kind === "unavailable") return c.html(await tracesPage({ requestId, traceId, message: "The trace store did not answer; try again." }), 503, HEADERS);
    const message = found.spans.length === 0 ? "No spans found (yet: spans are exported when each hop ends)." : undefined;
    return c.html(await tracesPage({ requestId, traceId, spans: found.spans, message }), 200, HEADERS);
  });
}
