// W3C Trace Context (Trace Context Level 1, §3.2 traceparent, §3.3 tracestate): the ids that tie
// one request's work together across the edge, the origin, queue messages, consumers and outgoing
// webhooks. Parsing is strict and bounded: anything but a well-formed version-00 header is
// ignored (the caller starts a new trace), so a client can neither inject odd ids into our logs
// nor make a Worker parse without limit.

/** One span's identity: the trace it belongs to and its own id (lowercase hex, never all zeros). */
export interface TraceContext {
  /** 32 lowercase hex digits. */
  traceId: string;
  /** 16 lowercase hex digits: the span this context names (the parent of whatever it is passed to). */
  spanId: string;
  /** The sampled flag (trace-flags bit 0). */
  sampled: boolean;
  /** The caller's tracestate, passed on unchanged when it is well-formed (§3.3). */
  tracestate?: string;
}

/** What travels in a queue message or an RPC call: the W3C headers as strings. */
export interface TraceCarrier {
  traceparent: string;
  tracestate?: string;
}

// §3.2.2: version "00", trace-id, parent-id, trace-flags; exactly this, no trailing fields for 00.
const TRACEPARENT = /^00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/;
// §3.3.1: up to 32 comma-separated list members `key=value`; 512 characters is the size a
// platform must propagate. Longer or malformed values are dropped, not truncated.
const TRACESTATE_MAX = 512;
const TRACESTATE_MEMBER = /^[a-z0-9][a-z0-9_\-*/@]{0,255}=[\x20-\x2b\x2d-\x3c\x3e-\x7e]{0,255}[\x21-\x2b\x2d-\x3c\x3e-\x7e]$/;

/** Parses a traceparent header (version 00 only); null when absent or malformed, or an id is all zeros. */
export function parseTraceparent(value: string | null | undefined): Omit<TraceContext, "tracestate"> | null {
  if (!value || value.length !== 55) return null;
  const m = TRACEPARENT.exec(value);
  if (!m) return null;
  const [, traceId, spanId, flags] = m as unknown as [string, string, string, string];
  if (/^0+$/.test(traceId) || /^0+$/.test(spanId)) return null;
  return { traceId, spanId, sampled: (parseInt(flags, 16) & 1) === 1 };
}

/** A tracestate header worth passing on (§3.3), or undefined. */
export function parseTracestate(value: string | null | undefined): string | undefined {
  if (!value || value.length > TRACESTATE_MAX) return undefined;
  const members = value.split(",").map((m) => m.trim()).filter((m) => m !== "");
  if (members.length === 0 || members.length > 32) return undefined;
  return members.every((m) => TRACESTATE_MEMBER.test(m)) ? members.join(",") : undefined;
}

/** The caller's trace context from its traceparent/tracestate headers, or null (then start a new trace). */
export function traceFromHeaders(headers: Headers): TraceContext | null {
  return traceFromCarrier({ traceparent: headers.get("traceparent") ?? "", tracestate: headers.get("tracestate") ?? undefined });
}

/** The trace context a queue message or RPC call carried, or null when it carried none or a malformed one. */
export function traceFromCarrier(carrier: Partial<TraceCarrier> | null | undefined): TraceContext | null {
  if (typeof carrier !== "object" || carrier === null || typeof carrier.traceparent !== "string") return null;
  const parsed = parseTraceparent(carrier.traceparent);
  if (!parsed) return null;
  const tracestate = typeof carrier.tracestate === "string" ? parseTracestate(carrier.tracestate) : undefined;
  return tracestate ? { ...parsed, tracestate } : parsed;
}

/** The traceparent header naming `ctx` as the parent (§3.2). */
export function formatTraceparent(ctx: Pick<TraceContext, "traceId" | "spanId" | "sampled">): string {
  return `00-${ctx.traceId}-${ctx.spanId}-${ctx.sampled ? "01" : "00"}`;
}

/** `ctx` as the headers/fields to send on, so the receiver's spans become its children. */
export function traceCarrier(ctx: TraceContext): TraceCarrier {
  const carrier: TraceCarrier = { traceparent: formatTraceparent(ctx) };
  if (ctx.tracestate) carrier.tracestate = ctx.tracestate;
  return carrier;
}

function randomHex(bytes: number): string {
  const buf = crypto.getRandomValues(new Uint8Array(bytes));
  let hex = "";
  for (const b of buf) hex += b.toString(16).padStart(2, "0");
  // All zeros is invalid (§3.2.2.3/4); the odds are 2^-64 at worst, but the rule is cheap to keep.
  return /^0+$/.test(hex) ? randomHex(bytes) : hex;
}

/** A new random trace id (16 bytes) or span id (8 bytes), as lowercase hex. */
export const newTraceId = (): string => randomHex(16);
export const newSpanId = (): string => randomHex(8);

/** A new span's context: a child of `parent` (same trace, flags and tracestate), or the root of a new sampled trace. */
export function childContext(parent: TraceContext | null): TraceContext {
  if (!parent) return { traceId: newTraceId(), spanId: newSpanId(), sampled: true };
  return { ...parent, spanId: newSpanId() };
}
