// The HTTP face of the server: routing, browser refusal, bearer auth, bounded body reading, JSON
// answers and a log line per request (or only per slow or failed one). Errors outside a
// pipeline's results are JSON `{message, code}` with content-type exactly "application/json":
// that is what @libsql/hrana-client parses into a ResponseError (and LibsqlError) with our code.
import { createHash, randomUUID, timingSafeEqual } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Logger } from "./log.ts";
import { BatonError, runPipeline, type PipelineDeps } from "./pipeline.ts";
import { decodePipelineRequest } from "./protocol.ts";
import { ProtocolError } from "./values.ts";

export type HttpDeps = PipelineDeps & {
  authToken: string | undefined;
  maxBodyBytes: number;
  log: Logger;
  /** "slow": answered requests under SLOW_REQUEST_MS are not logged (errors and 4xx always are). */
  logRequests: "all" | "slow";
};

/** With `logRequests: "slow"`, a successful request this slow or slower is still logged. */
export const SLOW_REQUEST_MS = 250;

type Outcome = { status: number; fields?: Record<string, unknown> };

type Route = { operation: string; methods: string[]; auth: boolean };

const ROUTES: Record<string, Route> = {
  "/": { operation: "index", methods: ["GET", "HEAD"], auth: false },
  "/health": { operation: "health", methods: ["GET", "HEAD"], auth: false },
  "/v2": { operation: "version", methods: ["GET", "HEAD"], auth: false },
  "/v3": { operation: "version", methods: ["GET", "HEAD"], auth: false },
  "/v2/pipeline": { operation: "pipeline", methods: ["POST"], auth: true },
  "/v3/pipeline": { operation: "pipeline", methods: ["POST"], auth: true },
};

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): Outcome {
  const payload = JSON.stringify(body);
  res.writeHead(status, {
    "content-type": "application/json",
    "content-length": Buffer.byteLength(payload),
    ...headers,
  });
  res.end(payload);
  return { status };
}

function sendError(res: ServerResponse, status: number, code: string, message: string, headers?: Record<string, string>): Outcome {
  sendJson(res, status, { message, code }, headers);
  return { status, fields: { code } };
}

function sendText(res: ServerResponse, status: number, text: string): Outcome {
  res.writeHead(status, { "content-type": "text/plain", "content-length": Buffer.byteLength(text) });
  res.end(text);
  return { status };
}

// A web page in the developer's browser can reach a loopback port (or a DNS name rebound to one):
// browsers always send `Origin` on cross-origin POSTs and the page's host name in `Host`, so any
// request carrying an Origin, or naming a host other than loopback, is refused.
const LOOPBACK_HOST = /^(127\.0\.0\.1|localhost|\[::1\])(:\d{1,5})?$/i;

function fromBrowser(req: IncomingMessage): string | undefined {
  if (req.headers.origin !== undefined) return "Requests with an Origin header (from a web page) are refused";
  if (!LOOPBACK_HOST.test(req.headers.host ?? "")) return "Only loopback Host names (127.0.0.1, localhost, [::1]) are served";
  return undefined;
}

// JSON only: the protobuf encoding is not implemented, and a form or text/plain POST (what a page
// could send without a CORS preflight) must never reach SQL.
const isJson = (req: IncomingMessage) => /^application\/json\s*(;|$)/i.test(req.headers["content-type"] ?? "");

const digest = (text: string): Buffer => createHash("sha256").update(text).digest();

function authorized(req: IncomingMessage, token: string | undefined): boolean {
  if (token === undefined) return true;
  const given = req.headers.authorization ?? "";
  return timingSafeEqual(digest(given), digest(`Bearer ${token}`));
}

/** The body, or "too_large" as soon as it exceeds `limit` bytes (the rest is not buffered). */
function readBody(req: IncomingMessage, limit: number): Promise<Buffer | "too_large"> {
  if (Number(req.headers["content-length"] ?? 0) > limit) return Promise.resolve("too_large");
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size > limit) {
        req.off("data", onData);
        req.resume(); // discard the rest
        resolve("too_large");
      } else {
        chunks.push(chunk);
      }
    };
    req.on("data", onData);
    req.on("end", () => resolve(Buffer.concat(chunks)));
    req.on("error", reject);
  });
}

async function pipeline(deps: HttpDeps, req: IncomingMessage, res: ServerResponse): Promise<Outcome> {
  const body = await readBody(req, deps.maxBodyBytes);
  if (body === "too_large") {
    return sendError(res, 413, "BODY_TOO_LARGE", `Request body exceeds ${deps.maxBodyBytes} bytes`, { connection: "close" });
  }
  let decoded;
  try {
    decoded = decodePipelineRequest(JSON.parse(body.toString("utf8")));
  } catch (err) {
    if (err instanceof SyntaxError) return sendError(res, 400, "PROTOCOL_ERROR", "Request body is not valid JSON");
    if (err instanceof ProtocolError || err instanceof RangeError) return sendError(res, 400, "PROTOCOL_ERROR", err.message);
    throw err;
  }
  const aborted = new AbortController();
  res.on("close", () => {
    if (!res.writableFinished) aborted.abort();
  });
  try {
    const response = await runPipeline(deps, decoded, aborted.signal);
    const errors = response.results.flatMap((r) => (r.type === "error" ? [r.error.code] : []));
    sendJson(res, 200, response);
    return {
      status: 200,
      fields: {
        requests: decoded.requests.map((r) => r.type),
        ...(errors.length > 0 ? { errors } : {}),
        newStream: decoded.baton === null,
        streamClosed: response.baton === null,
      },
    };
  } catch (err) {
    if (err instanceof BatonError) return sendError(res, 400, err.code, err.message);
    throw err;
  }
}

async function dispatch(deps: HttpDeps, req: IncomingMessage, res: ServerResponse, route: Route | undefined): Promise<Outcome> {
  const refused = fromBrowser(req);
  if (refused) return sendError(res, 403, "FORBIDDEN", refused);
  if (route === undefined) return sendError(res, 404, "NOT_FOUND", "Not found (this server speaks Hrana over HTTP, JSON only)");
  const method = req.method ?? "GET";
  if (!route.methods.includes(method)) {
    return sendError(res, 405, "METHOD_NOT_ALLOWED", `Use ${route.methods.join(" or ")}`, { allow: route.methods.join(", ") });
  }
  if (route.auth && !authorized(req, deps.authToken)) {
    return sendError(res, 401, "UNAUTHORIZED", "Missing or wrong bearer token", { "www-authenticate": "Bearer" });
  }
  if (method === "POST" && !isJson(req)) {
    return sendError(res, 415, "UNSUPPORTED_MEDIA_TYPE", "Send the pipeline as application/json");
  }
  switch (route.operation) {
    case "health":
      return sendJson(res, 200, { status: "ok" });
    case "pipeline":
      return pipeline(deps, req, res);
    default:
      return sendText(res, 200, "Laurel local libSQL server: Hrana over HTTP, versions 2 and 3 (JSON)\n");
  }
}

/** The `node:http` request listener. Never throws: unexpected failures become a 500. */
export function createRequestListener(deps: HttpDeps): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    const started = performance.now();
    const requestId = (req.headers["x-request-id"] as string | undefined)?.slice(0, 128) || randomUUID();
    res.setHeader("x-request-id", requestId);
    const path = new URL(req.url ?? "/", "http://localhost").pathname;
    const route = ROUTES[path];
    dispatch(deps, req, res, route)
      .catch((err: unknown): Outcome => {
        deps.log({
          level: "error",
          operation: route?.operation ?? "http",
          requestId,
          message: err instanceof Error ? err.message : String(err),
          stack: err instanceof Error ? err.stack : undefined,
        });
        if (res.headersSent) {
          res.destroy();
          return { status: 500 };
        }
        return sendError(res, 500, "INTERNAL_ERROR", "Internal server error");
      })
      .then(({ status, fields }) => {
        const durationMs = Math.round((performance.now() - started) * 100) / 100;
        if (deps.logRequests === "slow" && status < 400 && durationMs < SLOW_REQUEST_MS) return;
        deps.log({
          level: status >= 500 ? "error" : status >= 400 ? "warn" : "info",
          operation: route?.operation ?? "not_found",
          requestId,
          method: req.method,
          path,
          status,
          durationMs,
          ...fields,
        });
      });
  };
}
