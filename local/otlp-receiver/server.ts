// The local OTLP/HTTP receiver: where the origin exports its spans under `npm start`
// (OTEL_EXPORTER_OTLP_ENDPOINT). It writes each span as a JSON line under `<dir>/spans-<day>.jsonl`
// and answers lookups by trace id or request id, which the origin's /ops/traces page asks.
//   POST /v1/traces   (Authorization: Bearer <token>; OTLP JSON) → 200 {} ; protobuf → 415
//   GET  /v1/spans?traceId=<32 hex> | ?requestId=<id>  (same bearer token) → {spans: StoredSpan[]}
//        every span of the matching traces (a request id finds its traces through the spans'
//        `laurel.request_id` attribute), oldest first, at most MAX_SPANS
//   GET  /health → {status: "ok"}
import fs from "node:fs";
import http from "node:http";
import { bearerAuthorized, readBodyCapped } from "../http-server-helpers.ts";
import path from "node:path";
import { flattenExport, type StoredSpan } from "./spans.ts";

export interface OtlpReceiverOptions {
  /** The folder the span files go to (`<data dir>/traces`). */
  dir: string;
  port: number;
  /** The bearer token every request but /health must carry. */
  authToken: string;
}

export interface OtlpReceiver {
  url: string;
  close(): Promise<void>;
}

/** Largest export request accepted (the SDK exports one invocation's trace at a time). */
const MAX_EXPORT_BYTES = 8 * 1024 * 1024;
/** Most spans one lookup answers. */
export const MAX_SPANS = 5_000;
const TRACE_ID = /^[0-9a-f]{32}$/;
const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

function json(res: http.ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { "content-type": "application/json", "cache-control": "no-store" });
  res.end(JSON.stringify(body));
}

function* storedSpans(dir: string): Generator<StoredSpan> {
  const files = fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => /^spans-.*\.jsonl$/.test(f)).sort() : [];
  for (const file of files) {
    for (const line of fs.readFileSync(path.join(dir, file), "utf8").split("\n")) {
      if (line.trim() === "") continue;
      try {
        yield JSON.parse(line) as StoredSpan;
      } catch {
        // A line cut short by a crash mid-write: skipped.
      }
    }
  }
}

/** Every span of the traces `traceId` names or `requestId` appears in, oldest first. */
export function findSpans(dir: string, query: { traceId?: string; requestId?: string }): StoredSpan[] {
  const traces = new Set<string>(query.traceId ? [query.traceId] : []);
  if (query.requestId) {
    for (const span of storedSpans(dir)) if (span.attributes["laurel.request_id"] === query.requestId) traces.add(span.traceId);
  }
  const found: StoredSpan[] = [];
  for (const span of storedSpans(dir)) {
    if (traces.has(span.traceId)) found.push(span);
    if (found.length >= MAX_SPANS) break;
  }
  return found.sort((a, b) => a.startMs - b.startMs);
}

/** Starts the receiver on 127.0.0.1. */
export async function startOtlpReceiver(options: OtlpReceiverOptions): Promise<OtlpReceiver> {
  fs.mkdirSync(options.dir, { recursive: true });
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://receiver.local");
    void (async () => {
      if (req.method === "GET" && url.pathname === "/health") return json(res, 200, { status: "ok" });
      if (!bearerAuthorized(req, options.authToken)) return json(res, 401, { error: "a bearer token is required" });
      if (req.method === "POST" && url.pathname === "/v1/traces") {
        if (!/^application\/json\b/.test(req.headers["content-type"] ?? "")) return json(res, 415, { error: "only OTLP JSON (application/json) is accepted" });
        const body = await readBodyCapped(req, MAX_EXPORT_BYTES);
        if (body === null) return json(res, 413, { error: `larger than ${MAX_EXPORT_BYTES} bytes` });
        let spans: StoredSpan[];
        try {
          spans = flattenExport(JSON.parse(body.toString("utf8")));
        } catch {
          return json(res, 400, { error: "not an OTLP JSON export request" });
        }
        if (spans.length > 0) {
          const day = new Date().toISOString().slice(0, 10);
          fs.appendFileSync(path.join(options.dir, `spans-${day}.jsonl`), spans.map((s) => JSON.stringify(s)).join("\n") + "\n");
        }
        return json(res, 200, {});
      }
      if (req.method === "GET" && url.pathname === "/v1/spans") {
        const traceId = url.searchParams.get("traceId") ?? undefined;
        const requestId = url.searchParams.get("requestId") ?? undefined;
        if ((traceId && !TRACE_ID.test(traceId)) || (requestId && !REQUEST_ID.test(requestId)) || (!traceId && !requestId)) {
          return json(res, 400, { error: "give traceId (32 lowercase hex) or requestId" });
        }
        return json(res, 200, { spans: findSpans(options.dir, { traceId, requestId }) });
      }
      return json(res, 404, { error: "not found" });
    })().catch(() => json(res, 500, { error: "internal error" }));
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, "127.0.0.1", () => resolve());
  });
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
