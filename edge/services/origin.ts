// The edge's only door to the origin: RPC over the ORIGIN service binding, each call counted on
// /metrics (laurel_edge_origin_rpc_<method>_total) so load tests can prove the hot path skips it.
// Each call is a client span (a child of the request's, env.TRACE) and passes that span and the
// request id as its last argument (RpcCaller): the origin's work continues the same trace.
import { SpanKind, startSpan } from "../../shared/observability/spans.ts";
import { traceCarrier } from "../../shared/observability/trace-context.ts";
import type { EdgeApiRpc, RpcCaller } from "../../shared/origin-rpc.ts";
import type { EdgeEnv } from "../env.ts";
import { edgeMetrics } from "../metrics.ts";

type Method = keyof EdgeApiRpc;

/** How long a request waits for the origin before it degrades (and caches nothing). */
export const ORIGIN_TIMEOUT_MS = 10_000;

const COUNTER: Record<Method, string> = {
  credentialProjection: "laurel_edge_origin_rpc_credential_projection_total",
  issuerProjection: "laurel_edge_origin_rpc_issuer_projection_total",
  statusListProjection: "laurel_edge_origin_rpc_status_list_projection_total",
  renderCard: "laurel_edge_origin_rpc_render_card_total",
  renderCertificate: "laurel_edge_origin_rpc_render_certificate_total",
  recordScans: "laurel_edge_origin_rpc_record_scans_total",
  recordCounts: "laurel_edge_origin_rpc_record_counts_total",
};

/** Thrown when the origin did not answer within ORIGIN_TIMEOUT_MS. */
export class OriginTimeoutError extends Error {
  override readonly name = "OriginTimeoutError";
}

/**
 * Calls one EdgeApi method with its one argument (the caller context is added here); failures and
 * timeouts are counted and thrown for the caller to degrade. Callers cache only what this resolved
 * with (shared/cache/ttl-lru.ts).
 */
export async function callOrigin<M extends Method>(
  env: EdgeEnv,
  method: M,
  arg: Parameters<EdgeApiRpc[M]>[0],
): Promise<Awaited<ReturnType<EdgeApiRpc[M]>>> {
  edgeMetrics.increment(COUNTER[method]);
  // Without a request (the scan counters' alarm) the call starts a trace of its own.
  const span = startSpan(`EdgeApi ${method}`, env.TRACE ?? null, { "rpc.system": "cloudflare_workers_rpc", "rpc.service": "EdgeApi", "rpc.method": method, "laurel.request_id": env.REQUEST_ID }, SpanKind.CLIENT);
  const caller: RpcCaller = { ...traceCarrier(span.context), ...(env.REQUEST_ID ? { requestId: env.REQUEST_ID } : {}) };
  let timer: ReturnType<typeof setTimeout> | undefined;
  let failure: unknown;
  try {
    // A method call on the stub itself: RPC stubs have no Function.prototype.apply.
    const origin = env.ORIGIN as unknown as Record<M, (...a: unknown[]) => Promise<unknown>>;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new OriginTimeoutError(`origin ${method} took over ${ORIGIN_TIMEOUT_MS} ms`)), ORIGIN_TIMEOUT_MS);
    });
    return (await Promise.race([origin[method](arg, caller), timeout])) as Awaited<ReturnType<EdgeApiRpc[M]>>;
  } catch (error) {
    failure = error;
    edgeMetrics.increment("laurel_edge_origin_rpc_errors_total");
    throw error;
  } finally {
    clearTimeout(timer);
    span.end(failure);
  }
}
