// OTLP/HTTP JSON (opentelemetry-proto ExportTraceServiceRequest) flattened to one record per span,
// the shape the local receiver stores as a JSON line and answers queries with.
import type { SpanRecord } from "../../shared/observability/span-record.ts";

/** One stored span (the record the origin's /ops/traces page reads back). */
export type StoredSpan = SpanRecord;

interface AnyValue {
  stringValue?: string;
  intValue?: string | number;
  doubleValue?: number;
  boolValue?: boolean;
}
interface KeyValue {
  key: string;
  value?: AnyValue;
}
interface OtlpSpan {
  traceId?: string;
  spanId?: string;
  parentSpanId?: string;
  name?: string;
  kind?: number;
  startTimeUnixNano?: string | number;
  endTimeUnixNano?: string | number;
  attributes?: KeyValue[];
  status?: { code?: number };
}
interface OtlpRequest {
  resourceSpans?: { resource?: { attributes?: KeyValue[] }; scopeSpans?: { spans?: OtlpSpan[] }[] }[];
}

// The protobuf JSON mapping gives ids as hex (OTLP/JSON) or, from some encoders, base64 (bytes).
function hexId(raw: unknown, bytes: number): string | null {
  if (typeof raw !== "string" || raw === "") return null;
  if (new RegExp(`^[0-9a-fA-F]{${bytes * 2}}$`).test(raw)) return raw.toLowerCase();
  const decoded = Buffer.from(raw, "base64");
  return decoded.length === bytes ? decoded.toString("hex") : null;
}

function plain(value: AnyValue | undefined): string | number | boolean | undefined {
  if (!value) return undefined;
  if (value.stringValue !== undefined) return value.stringValue;
  if (value.intValue !== undefined) return Number(value.intValue);
  if (value.doubleValue !== undefined) return value.doubleValue;
  if (value.boolValue !== undefined) return value.boolValue;
  return undefined;
}

function attributes(list: KeyValue[] | undefined): Record<string, string | number | boolean> {
  const out: Record<string, string | number | boolean> = {};
  for (const kv of Array.isArray(list) ? list : []) {
    const v = plain(kv?.value);
    if (typeof kv?.key === "string" && v !== undefined) out[kv.key] = v;
  }
  return out;
}

const ms = (nanos: unknown): number => Number(BigInt(String(nanos ?? "0")) / 1000n) / 1000;

/** The spans of one export request; spans without valid ids are skipped. Throws on a body that is not an export request. */
export function flattenExport(body: unknown): StoredSpan[] {
  if (typeof body !== "object" || body === null) throw new Error("not an OTLP export request");
  const out: StoredSpan[] = [];
  for (const rs of (body as OtlpRequest).resourceSpans ?? []) {
    const service = String(attributes(rs.resource?.attributes)["service.name"] ?? "unknown");
    for (const ss of rs.scopeSpans ?? []) {
      for (const span of ss.spans ?? []) {
        const traceId = hexId(span.traceId, 16);
        const spanId = hexId(span.spanId, 8);
        if (!traceId || !spanId) continue;
        const startMs = ms(span.startTimeUnixNano);
        out.push({
          traceId,
          spanId,
          parentSpanId: hexId(span.parentSpanId, 8),
          name: String(span.name ?? ""),
          kind: Number(span.kind ?? 0),
          service,
          startMs,
          durationMs: Math.max(0, ms(span.endTimeUnixNano) - startMs),
          status: Number(span.status?.code ?? 0),
          attributes: attributes(span.attributes),
        });
      }
    }
  }
  return out;
}
