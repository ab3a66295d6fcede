import { RequestMetrics } from "../shared/observability/metrics.ts";

/** The origin isolate's request metrics, served on /metrics. */
export const originMetrics = new RequestMetrics("origin");
