// Builds the recorder's per-invocation I/O from a Worker's bindings and its waitUntil.
import { metricsAggregator, type MetricsBindings } from "./aggregator-rpc.ts";
import type { RecordingIo } from "./metrics-recorder.ts";

/** The recording I/O of one request or queue invocation; without bindings, points stay in the isolate. */
export function recordingIo(env: MetricsBindings, waitUntil: (promise: Promise<unknown>) => void): RecordingIo {
  const namespace = env.METRICS;
  return {
    dataset: env.METRICS_EVENTS,
    // The stub is made on first use, inside the invocation that flushes.
    aggregator: namespace ? { ingest: (batch) => metricsAggregator(namespace).ingest(batch) } : undefined,
    waitUntil,
  };
}
