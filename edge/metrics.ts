import { RequestMetrics } from "../shared/observability/metrics.ts";

/** The edge isolate's request metrics, served on /metrics. */
export const edgeMetrics = new RequestMetrics("edge");
