// Fake Canvas and Moodle servers for tests and local development, one Node HTTP server with one
// course per "scenario", so each test has its own learners and failure modes:
//   POST /__scenarios            {kind, learnerCount, noEmail, …}  → 201 {id, baseUrl}
//   POST /__scenarios/:id        {addLearners, complete, mode, throttleFirst, …} → 204
//   GET  /__scenarios/:id/requests                                → {count, times}
// The LMS lives under the scenario's baseUrl (`<server>/s/<id>`): Canvas at /api/v1/…, Moodle at
// /webservice/rest/server.php. Failure modes (scenario.ts): 429 with Retry-After for the first N
// requests, no answer at all, an HTML error page, truncated JSON, a redirect to a login page, a
// next-page link to another host, 500.
// Run alone: `node local/fake-lms/server.ts [port]` prints its URL.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { fileURLToPath } from "node:url";
import { canvasUsers } from "./canvas.ts";
import { moodleServer } from "./moodle.ts";
import { buildScenario, changeScenario, type Scenario } from "./scenario.ts";

export interface FakeLms {
  url: string;
  close(): Promise<void>;
}

const BODY_LIMIT = 64 * 1024;

function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let size = 0;
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => {
      size += c.length;
      if (size > BODY_LIMIT) req.destroy(new Error("body too large"));
      else chunks.push(c);
    });
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

export async function startFakeLms(port = 0): Promise<FakeLms> {
  const scenarios = new Map<string, Scenario>();
  let origin = "http://127.0.0.1"; // set once listening
  let next = 0;

  const server = http.createServer(async (req, res) => {
    try {
      const url = new URL(req.url ?? "/", "http://fake");
      const selfOrigin = origin;
      const parts = url.pathname.split("/").filter(Boolean);
      if (parts[0] === "__scenarios") return await control(req, res, parts, selfOrigin);
      if (parts[0] !== "s" || !parts[1]) return res.writeHead(404).end();
      const s = scenarios.get(parts[1]);
      if (!s) return res.writeHead(404).end();
      const prefix = `/s/${parts[1]}`;
      const path = `/${parts.slice(2).join("/")}`;
      s.requests.push({ at: Date.now(), path });
      if (s.requests.length <= s.options.throttleFirst) {
        return res.writeHead(429, { "retry-after": String(s.options.retryAfterSeconds), "content-type": "application/json" }).end(JSON.stringify({ errors: [{ message: "Rate Limit Exceeded" }] }));
      }
      switch (s.options.mode) {
        case "hang":
          return; // never answered; closed with the server
        case "html":
          return res.writeHead(200, { "content-type": "text/html" }).end("<!DOCTYPE html><html><body><h1>Service Unavailable</h1><p>Maintenance in progress.</p></body></html>");
        case "redirect":
          return res.writeHead(302, { location: `${selfOrigin}${prefix}/login/index.php?session=expired` }).end();
        case "error500":
          return res.writeHead(500, { "content-type": "text/plain" }).end("Internal Server Error");
        default:
          break;
      }
      const truncate = s.options.mode === "truncated";
      if (truncate) {
        // Let the handler write, then cut its body in half.
        const end = res.end.bind(res);
        res.end = ((chunk?: unknown) => end(typeof chunk === "string" ? chunk.slice(0, Math.floor(chunk.length / 2)) : chunk)) as typeof res.end;
      }
      const canvas = /^\/api\/v1\/courses\/([^/]+)\/users$/.exec(path);
      if (s.options.kind === "canvas" && canvas && req.method === "GET") return canvasUsers(s, req, res, url, decodeURIComponent(canvas[1]!), selfOrigin);
      if (s.options.kind === "moodle" && path === "/webservice/rest/server.php") {
        const params = new URLSearchParams(url.search);
        if (req.method === "POST") for (const [k, v] of new URLSearchParams(await readBody(req))) params.set(k, v);
        return moodleServer(s, res, params);
      }
      res.writeHead(404, { "content-type": "application/json" }).end(JSON.stringify({ errors: [{ message: "The specified resource does not exist." }] }));
    } catch (error) {
      res.writeHead(500).end(String(error));
    }
  });

  async function control(req: http.IncomingMessage, res: http.ServerResponse, parts: string[], selfOrigin: string) {
    if (req.method === "POST" && parts.length === 1) {
      const id = `c${++next}`;
      scenarios.set(id, buildScenario(JSON.parse((await readBody(req)) || "{}")));
      return res.writeHead(201, { "content-type": "application/json" }).end(JSON.stringify({ id, baseUrl: `${selfOrigin}/s/${id}` }));
    }
    const s = scenarios.get(parts[1] ?? "");
    if (!s) return res.writeHead(404).end();
    if (req.method === "POST" && parts.length === 2) {
      changeScenario(s, JSON.parse((await readBody(req)) || "{}"));
      return res.writeHead(204).end();
    }
    if (req.method === "GET" && parts[2] === "requests") {
      return res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ count: s.requests.length, times: s.requests.map((r) => r.at) }));
    }
    res.writeHead(404).end();
  }

  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  const address = server.address() as AddressInfo;
  origin = `http://127.0.0.1:${address.port}`;
  return {
    url: origin,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const lms = await startFakeLms(Number(process.argv[2] ?? 0));
  console.log(JSON.stringify({ service: "fake-lms", url: lms.url, create: `POST ${lms.url}/__scenarios` }));
}
