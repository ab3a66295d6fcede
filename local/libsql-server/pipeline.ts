// One `POST /v2|v3/pipeline`: claim (or open) the stream, run every request in order (the spec
// runs all of them even after errors), then park the stream under a fresh baton or free it.
import { HranaError } from "./errors.ts";
import { describeStmt, executeBatch, executeSequence, executeStmt, resolveSql, type ExecContext } from "./execute.ts";
import type { PipelineRequest, PipelineResponse, StreamRequest, StreamResponse, StreamResult } from "./protocol.ts";
import type { StreamRegistry } from "./stream.ts";
import type { WriteDetector } from "./write-detect.ts";
import type { WriteLock } from "./write-lock.ts";

// sqld's limits (libsql-server/src/hrana/http/request.rs); @libsql/client stays within them.
const MAX_STORED_SQLS = 50;
const MAX_STORED_SQL_BYTES = 5000;

export type PipelineDeps = {
  registry: StreamRegistry;
  lock: WriteLock;
  writes: WriteDetector;
  lockTimeoutMs: number;
};

/** The baton did not lead to a usable stream: answered with HTTP 400 and this code. */
export class BatonError extends Error {
  override name = "BatonError";
  readonly code: "BATON_INVALID" | "STREAM_EXPIRED";
  constructor(code: "BATON_INVALID" | "STREAM_EXPIRED") {
    super(
      code === "STREAM_EXPIRED"
        ? "The stream has expired due to inactivity"
        : "The baton is invalid: unknown, already used, or its stream was closed",
    );
    this.code = code;
  }
}

async function handle(ctx: ExecContext, request: StreamRequest): Promise<StreamResponse> {
  const { stream } = ctx;
  switch (request.type) {
    case "close":
      return { type: "close" }; // the caller frees the stream after the pipeline
    case "execute":
      return { type: "execute", result: await executeStmt(ctx, request.stmt) };
    case "batch":
      return { type: "batch", result: await executeBatch(ctx, request.steps) };
    case "sequence":
      await executeSequence(ctx, resolveSql(stream, request.sql, request.sqlId));
      return { type: "sequence" };
    case "describe":
      return { type: "describe", result: describeStmt(ctx, resolveSql(stream, request.sql, request.sqlId)) };
    case "store_sql":
      if (stream.sqls.has(request.sqlId)) {
        throw new HranaError("SQL_STORE_EXISTS", `An SQL text is already stored with sql_id ${request.sqlId}`);
      }
      if (stream.sqls.size >= MAX_STORED_SQLS) {
        throw new HranaError("SQL_STORE_TOO_MANY", `The server already stores ${stream.sqls.size} SQL texts, it cannot store more`);
      }
      if (Buffer.byteLength(request.sql) > MAX_STORED_SQL_BYTES) {
        throw new HranaError("SQL_STORE_TOO_LARGE", `The statement is too large to be stored (limit ${MAX_STORED_SQL_BYTES} bytes)`);
      }
      stream.sqls.set(request.sqlId, request.sql);
      return { type: "store_sql" };
    case "close_sql":
      stream.sqls.delete(request.sqlId);
      return { type: "close_sql" };
    case "get_autocommit":
      return { type: "get_autocommit", is_autocommit: !stream.inTransaction };
  }
}

/**
 * Runs a decoded pipeline. Throws {@link BatonError} for a bad baton; any other throw is a
 * server bug, after which the stream is closed (its transaction rolled back).
 */
export async function runPipeline(deps: PipelineDeps, body: PipelineRequest, signal?: AbortSignal): Promise<PipelineResponse> {
  const { registry, lock } = deps;
  let stream;
  if (body.baton === null) {
    stream = registry.open();
  } else {
    const taken = registry.take(body.baton);
    if ("error" in taken) throw new BatonError(taken.error);
    stream = taken.stream;
  }
  const ctx: ExecContext = { stream, lock, writes: deps.writes, lockTimeoutMs: deps.lockTimeoutMs, signal };
  const results: StreamResult[] = [];
  let closing = false;
  try {
    for (const request of body.requests) {
      if (closing) {
        results.push({ type: "error", error: { message: "The stream is closed", code: "STREAM_CLOSED" } });
        continue;
      }
      try {
        results.push({ type: "ok", response: await handle(ctx, request) });
        if (request.type === "close") closing = true;
      } catch (err) {
        if (!(err instanceof HranaError)) throw err;
        results.push({ type: "error", error: err.toJSON() });
      } finally {
        // Back in autocommit: nothing of ours is left to commit, let the next writer in.
        if (!stream.closed && !stream.inTransaction) {
          lock.release(stream);
          stream.recycle();
        }
      }
    }
  } catch (err) {
    registry.discard(stream);
    throw err;
  }
  // A client that went away cannot receive the next baton: free its stream now.
  if (closing || signal?.aborted) {
    registry.discard(stream);
    return { baton: null, base_url: null, results };
  }
  return { baton: registry.park(stream), base_url: null, results };
}
