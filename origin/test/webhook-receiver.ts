// A scriptable webhook receiver for origin tests (Node, started by global-setup.ts; the Worker under
// test reaches it at http://127.0.0.1:<port>). Each test uses its own path name:
// - POST /hook/<name>: recorded (headers and body), answered by the next scripted answer for
//   <name>, else 200;
// - PUT /_script/<name> with a JSON array of {status, headers?, delayMs?}: the answers to give next;
// - GET /_received/<name>: what <name> received, in order.
import http from "node:http";
import type { AddressInfo } from "node:net";

export interface ScriptedAnswer {
  status: number;
  headers?: Record<string, string>;
  delayMs?: number;
}

export interface ReceivedRequest {
  headers: Record<string, string>;
  body: string;
}

const MAX_BODY = 1024 * 1024;

/** Starts the receiver on a free loopback port. */
export async function startWebhookReceiver(): Promise<{ url: string; close: () => Promise<void> }> {
  const scripts = new Map<string, ScriptedAnswer[]>();
  const received = new Map<string, ReceivedRequest[]>();
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY) chunks.push(chunk);
    });
    req.on("end", () => {
      const body = Buffer.concat(chunks).toString("utf8");
      const [, kind, name = ""] = (req.url ?? "").split("/");
      if (req.method === "PUT" && kind === "_script") {
        scripts.set(name, JSON.parse(body) as ScriptedAnswer[]);
        res.writeHead(204).end();
      } else if (req.method === "GET" && kind === "_received") {
        res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(received.get(name) ?? []));
      } else if (req.method === "POST" && kind === "hook") {
        const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(", ") : (v ?? "")]));
        received.set(name, [...(received.get(name) ?? []), { headers, body }]);
        const answer = scripts.get(name)?.shift() ?? { status: 200 };
        setTimeout(() => res.writeHead(answer.status, answer.headers).end("ok"), answer.delayMs ?? 0);
      } else {
        res.writeHead(404).end();
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
