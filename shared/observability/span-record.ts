// One span as the trace store keeps and answers it: the local OTLP receiver writes these as JSON
// lines (local/otlp-receiver), and the origin's /ops/traces page reads them back.

/** One stored span: ids as lowercase hex, times in ms since the epoch, attributes as plain values. */
export interface SpanRecord {
  traceId: string;
  spanId: string;
  parentSpanId: string | null;
  name: string;
  /** OTLP SpanKind: 1 internal, 2 server, 3 client, 4 producer, 5 consumer. */
  kind: number;
  service: string;
  startMs: number;
  durationMs: number;
  /** OTLP status code: 0 unset, 1 ok, 2 error. */
  status: number;
  attributes: Record<string, string | number | boolean>;
}
