import { describe, expect, it } from "vitest";
import { callerRequestId } from "./request-id.ts";
import { startRequest } from "./request-context.ts";
import { childContext, formatTraceparent, parseTraceparent, parseTracestate, traceCarrier, traceFromCarrier } from "./trace-context.ts";

const TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
const SPAN = "00f067aa0ba902b7";
const GOOD = `00-${TRACE}-${SPAN}-01`;

describe("traceparent parsing (W3C Trace Context §3.2)", () => {
  it("accepts a version-00 header and reads its ids and sampled flag", () => {
    expect(parseTraceparent(GOOD)).toEqual({ traceId: TRACE, spanId: SPAN, sampled: true });
    expect(parseTraceparent(`00-${TRACE}-${SPAN}-00`)).toEqual({ traceId: TRACE, spanId: SPAN, sampled: false });
  });

  it.each([
    ["another version", `01-${TRACE}-${SPAN}-01`],
    ["version ff", `ff-${TRACE}-${SPAN}-01`],
    ["uppercase hex", `00-${TRACE.toUpperCase()}-${SPAN}-01`],
    ["an all-zero trace id", `00-${"0".repeat(32)}-${SPAN}-01`],
    ["an all-zero parent id", `00-${TRACE}-${"0".repeat(16)}-01`],
    ["a short trace id", `00-${TRACE.slice(1)}-${SPAN}-01`],
    ["a long parent id", `00-${TRACE}-${SPAN}0-01`],
    ["trailing fields", `${GOOD}-extra`],
    ["surrounding spaces", ` ${GOOD}`],
    ["no flags", `00-${TRACE}-${SPAN}`],
    ["an empty value", ""],
  ])("refuses %s", (_what, value) => {
    expect(parseTraceparent(value)).toBeNull();
  });

  it("formats what it parses", () => {
    expect(formatTraceparent(parseTraceparent(GOOD)!)).toBe(GOOD);
  });
});

describe("tracestate (§3.3)", () => {
  it("passes a well-formed list on and drops a malformed or oversized one", () => {
    expect(parseTracestate("congo=t61rcWkgMzE, rojo=00f067aa0ba902b7")).toBe("congo=t61rcWkgMzE,rojo=00f067aa0ba902b7");
    expect(parseTracestate("no-equals-sign")).toBeUndefined();
    expect(parseTracestate(`a=${"x".repeat(600)}`)).toBeUndefined();
    expect(parseTracestate(Array.from({ length: 33 }, (_, i) => `k${i}=v`).join(","))).toBeUndefined();
  });
});

describe("trace contexts", () => {
  it("a child keeps the trace id, flags and tracestate with a new span id; no parent starts a new sampled trace", () => {
    const parent = traceFromCarrier({ traceparent: GOOD, tracestate: "rojo=1" })!;
    const child = childContext(parent);
    expect(child).toMatchObject({ traceId: TRACE, sampled: true, tracestate: "rojo=1" });
    expect(child.spanId).toMatch(/^[0-9a-f]{16}$/);
    expect(child.spanId).not.toBe(SPAN);
    const root = childContext(null);
    expect(root.traceId).toMatch(/^[0-9a-f]{32}$/);
    expect(root.traceId).not.toBe(childContext(null).traceId);
    expect(traceCarrier(child)).toEqual({ traceparent: `00-${TRACE}-${child.spanId}-01`, tracestate: "rojo=1" });
  });

  it("a carrier that is not one (a job body from before tracing, a forged field) gives no parent", () => {
    expect(traceFromCarrier(undefined)).toBeNull();
    expect(traceFromCarrier({ traceparent: "nonsense" })).toBeNull();
    expect(traceFromCarrier("00-x" as never)).toBeNull();
  });
});

describe("requests", () => {
  it("a request with a good traceparent continues its trace; its log fields carry trace and request ids", () => {
    const rc = startRequest(new Request("https://x.test/", { headers: { traceparent: GOOD, "x-request-id": "req-1" } }), "test");
    expect(rc.trace.traceId).toBe(TRACE);
    expect(rc.trace.spanId).not.toBe(SPAN);
    expect(rc.log.fields).toMatchObject({ requestId: "req-1", traceId: TRACE, spanId: rc.trace.spanId });
  });

  it("a bad traceparent is ignored: a new trace, and it does not become the request id", () => {
    const bad = `01-${TRACE}-${SPAN}-01`;
    const rc = startRequest(new Request("https://x.test/", { headers: { traceparent: bad } }), "test");
    expect(rc.trace.traceId).not.toBe(TRACE);
    expect(callerRequestId(new Headers({ traceparent: bad }))).toBeNull();
    expect(callerRequestId(new Headers({ traceparent: GOOD }))).toBe(TRACE);
  });
});
