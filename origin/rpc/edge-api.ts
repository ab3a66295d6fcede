// The origin's RPC entrypoint for the edge (shared/origin-rpc.ts), reachable only through the
// edge's service binding ORIGIN (entrypoint "EdgeApi"). The edge asks on a KV miss; each answer
// also refills KV so the next reader finds it there. Every call is logged, and runs in a span that
// continues the edge's trace: the last argument of every method is the edge's RpcCaller (its
// span and request id), optional for callers that predate it.
// A miss must stay cheap, since anyone can invent ids: every method first looks up the one row it
// was asked about and answers null without writing anything when there is none.
import { WorkerEntrypoint } from "cloudflare:workers";
import { credentialSetIdOf } from "../../shared/credential-sets.ts";
import { isUuid, issuerSlugFrom } from "../../shared/ids.ts";
import type { CertificateMetadata, CredentialProjection, IssuerProjection, StatusListProjection } from "../../shared/kv-keys.ts";
import { createLogger } from "../../shared/observability/logger.ts";
import { safeRequestId } from "../../shared/observability/request-id.ts";
import { activeSpan, SpanKind, startSpan } from "../../shared/observability/spans.ts";
import { traceCarrier, traceFromCarrier } from "../../shared/observability/trace-context.ts";
import { MAX_SCAN_IDS_PER_CALL, SCAN_COUNT_LIMIT, type CountFlush, type EdgeApiRpc, type RpcCaller } from "../../shared/origin-rpc.ts";
import { database } from "../db/client.ts";
import type { OriginEnv } from "../env.ts";
import { recordCounts } from "../services/analytics/record-counts.ts";
import { loadCredentialProjections } from "../services/publication/credential-projection.ts";
import { publishCredentialProjection } from "../services/publication/credential.ts";
import { republishCredentialSet } from "../services/publication/credential-set.ts";
import { publishCard } from "../services/publication/images.ts";
import { publishCertificate } from "../services/certificates/publish.ts";
import { loadIssuerProjection, publishIssuerProjection } from "../services/publication/issuer.ts";
import { signAndPublishStatusList } from "../services/publication/status-list.ts";
import { tracedRpc } from "../tracing/otel.ts";
import { withTrace } from "../tracing/traced-env.ts";

export class EdgeApi extends WorkerEntrypoint<OriginEnv> implements EdgeApiRpc {
  /**
   * Runs one call in its span (a child of the caller's, else a new trace) with an env acting for
   * it (queue messages it sends carry the span), and logs it with the trace and request ids. The
   * caller context comes over RPC from the edge: it is checked as a header would be.
   */
  private async logged<T>(operation: string, fields: Record<string, unknown>, caller: RpcCaller | undefined, run: (env: OriginEnv) => Promise<T>): Promise<T> {
    const requestId = safeRequestId(caller?.requestId) ?? undefined;
    const parent = traceFromCarrier(caller);
    const name = `EdgeApi ${operation}`;
    const attributes = { "rpc.system": "cloudflare_workers_rpc", "rpc.service": "EdgeApi", "rpc.method": operation, "laurel.request_id": requestId };
    const started = Date.now();
    let log = createLogger({ service: "origin", requestId, operation: `rpc.${operation}` });
    try {
      // Exporting, the call is a traced invocation whose server span is active; else a span of ids.
      return await tracedRpc(this.env, this.ctx, name, parent && traceCarrier(parent), async (env) => {
        const span = activeSpan(attributes) ?? startSpan(name, parent, attributes, SpanKind.SERVER);
        log = log.child({ traceId: span.context.traceId, spanId: span.context.spanId });
        try {
          const result = await span.run(() => run(withTrace(env, span.context)));
          const found = result === undefined ? undefined : result !== null;
          log.info("rpc", { ...fields, found, durationMs: Date.now() - started, status: "ok" });
          span.end();
          return result;
        } catch (error) {
          span.end(error);
          throw error;
        }
      });
    } catch (error) {
      log.error("rpc failed", { ...fields, error, durationMs: Date.now() - started, status: "error" });
      throw new Error(`origin ${operation} failed`); // no internals across the boundary
    }
  }

  /**
   * The credential's projection from the database; when it exists, also rewrites what KV holds for
   * it: its whole credential set for a set member, else its projection and badge. An unknown id
   * (e.g. a set id with an invented tail) costs one primary-key lookup and no write.
   */
  credentialProjection(id: string, caller?: RpcCaller): Promise<CredentialProjection | null> {
    return this.logged("credentialProjection", { credentialId: id }, caller, async (env) => {
      if (!isUuid(id)) return null;
      const credentialId = id.toLowerCase();
      const db = database(env);
      const projection = (await loadCredentialProjections(db, env, [credentialId])).get(credentialId);
      if (!projection) return null;
      const setId = credentialSetIdOf(credentialId);
      const member = setId ? (await republishCredentialSet(db, env, setId)).find((p) => p.id === credentialId) : undefined;
      if (member) return member;
      await publishCredentialProjection(env, projection);
      return projection;
    });
  }

  issuerProjection(slug: string, caller?: RpcCaller): Promise<IssuerProjection | null> {
    return this.logged("issuerProjection", { slug }, caller, async (env) => {
      if (typeof slug !== "string" || issuerSlugFrom(slug) === null) return null;
      const projection = await loadIssuerProjection(database(env), env, { slug });
      if (projection) await publishIssuerProjection(env, projection);
      return projection;
    });
  }

  /** Signs the list's current state and publishes it (KV and its authority); null when unknown. */
  statusListProjection(listId: string, caller?: RpcCaller): Promise<StatusListProjection | null> {
    return this.logged("statusListProjection", { statusListId: listId }, caller, async (env) => {
      if (!isUuid(listId)) return null;
      const published = await signAndPublishStatusList(database(env), env, listId);
      return published?.projection ?? null;
    });
  }

  /** Renders the social card, stores it at `cred:<id>:card.png` and returns the PNG; null when unknown. */
  renderCard(id: string, caller?: RpcCaller): Promise<ArrayBuffer | null> {
    return this.logged("renderCard", { credentialId: id }, caller, async (env) => {
      if (!isUuid(id)) return null;
      const projection = (await loadCredentialProjections(database(env), env, [id.toLowerCase()])).get(id.toLowerCase());
      if (!projection) return null;
      const png = await publishCard(env, projection);
      return png.buffer.slice(png.byteOffset, png.byteOffset + png.byteLength);
    });
  }

  /** Renders the certificate PDF from the database's state, stores it at `cred:<id>:certificate.pdf` and returns it; null when unknown. */
  renderCertificate(id: string, caller?: RpcCaller): Promise<{ pdf: ArrayBuffer; metadata: CertificateMetadata } | null> {
    return this.logged("renderCertificate", { credentialId: id }, caller, async (env) => {
      if (!isUuid(id)) return null;
      const projection = (await loadCredentialProjections(database(env), env, [id.toLowerCase()])).get(id.toLowerCase());
      if (!projection) return null;
      const { pdf, metadata } = await publishCertificate(env, projection);
      return { pdf: pdf.buffer.slice(pdf.byteOffset, pdf.byteOffset + pdf.byteLength) as ArrayBuffer, metadata };
    });
  }

  /**
   * Adds one flushed chunk of per-day event counts exactly once (services/analytics/record-counts.ts);
   * `applied: false` for a retry of a chunk already applied.
   */
  recordCounts(flush: CountFlush, caller?: RpcCaller): Promise<{ applied: boolean }> {
    const rows = Array.isArray(flush?.rows) ? flush.rows.length : 0;
    return this.logged("recordCounts", { flushId: flush?.flushId, rows }, caller, async (env) => {
      const { applied } = await recordCounts(database(env), flush);
      return { applied };
    });
  }

  /**
   * Adds lifetime scan counts (credential id → scans since the last flush) in one transaction: the
   * edge's flush before per-day counting (recordCounts), kept for shards still holding such counts.
   */
  recordScans(counts: Record<string, number>, caller?: RpcCaller): Promise<void> {
    const entries = Object.entries(counts ?? {}).filter(
      ([id, n]) => isUuid(id) && Number.isSafeInteger(n) && n > 0 && n < SCAN_COUNT_LIMIT,
    );
    return this.logged("recordScans", { credentials: entries.length }, caller, async (env) => {
      if (entries.length > MAX_SCAN_IDS_PER_CALL) throw new Error(`recordScans takes at most ${MAX_SCAN_IDS_PER_CALL} ids per call`);
      if (entries.length === 0) return;
      const now = Date.now();
      await database(env).$client.batch(
        entries.map(([id, n]) => ({
          sql: `INSERT INTO scan_counts (credential_id, count, updated_at) VALUES (?, ?, ?)
                ON CONFLICT (credential_id) DO UPDATE SET count = count + excluded.count, updated_at = excluded.updated_at`,
          args: [id.toLowerCase(), n, now],
        })),
        "write",
      );
    });
  }
}
