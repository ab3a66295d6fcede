// Test support: an HTTP proxy in front of a libSQL server that can be told to stop answering, the
// way a paused (SIGSTOP) or partitioned database behaves: connections are accepted, requests are
// read, and nothing comes back. Resuming forwards what was held, so requests the client already
// gave up on still reach the database late, as they would after SIGCONT.
// Control (for tests inside workerd, which can only speak HTTP): POST /__stall (from now on),
// POST /__stall?from=<text> (from the first request whose body contains <text>), POST /__resume.
import http from "node:http";
import type { AddressInfo } from "node:net";

export type StallingProxy = { url: string; stall(): void; resume(): void; close(): Promise<void> };

/** Starts the proxy on 127.0.0.1 (port 0: a free one) in front of `target` (a base URL). */
export async function startStallingProxy(target: string): Promise<StallingProxy> {
  let stalled = false;
  let stallFrom: string | undefined;
  const held: (() => void)[] = [];
  const resume = () => {
    stalled = false;
    stallFrom = undefined;
    for (const release of held.splice(0)) release();
  };

  const forward = (req: http.IncomingMessage, res: http.ServerResponse, body: Buffer) => {
    const upstream = http.request(new URL(req.url ?? "/", target), { method: req.method, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    upstream.on("error", () => res.destroy());
    upstream.end(body);
  };

  const server = http.createServer((req, res) => {
    const control = new URL(req.url ?? "/", "http://proxy");
    if (req.method === "POST" && control.pathname === "/__stall") {
      const from = control.searchParams.get("from");
      if (from) stallFrom = from;
      else stalled = true;
      return res.writeHead(204).end();
    }
    if (req.method === "POST" && control.pathname === "/__resume") {
      resume();
      return res.writeHead(204).end();
    }
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const body = Buffer.concat(chunks);
      if (stallFrom !== undefined && body.includes(stallFrom)) stalled = true;
      if (stalled) held.push(() => forward(req, res, body));
      else forward(req, res, body);
    });
  });
  server.keepAliveTimeout = 0;
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    stall: () => void (stalled = true),
    resume,
    close: () =>
      new Promise<void>((resolve) => {
        resume();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
