// The local mail outbox: what the origin "sends" under `npm start` (MAIL_TRANSPORT=outbox). Workers
// cannot write files, so the origin POSTs each composed RFC 5322 message here and this server
// writes it as `<dir>/<time>-<id>.eml`. Nothing is sent anywhere. `GET /` lists the messages
// (subject, to, date, the text part with clickable links) for a developer to click through.
//   POST /messages  (Authorization: Bearer <token>; Content-Type: message/rfc822; Idempotency-Key)
//                   → 201 {id, file}; a repeated Idempotency-Key → 200 with the first message's id, nothing written
//   GET  /messages.json → [{id, file, subject, from, to, date, text, html, listUnsubscribe, listUnsubscribePost}] newest first
//   GET  /messages/<file> → the raw .eml;  GET /health → {status: "ok"}
import { randomUUID } from "node:crypto";
import fs from "node:fs";
import http from "node:http";
import { bearerAuthorized, readBodyCapped } from "../http-server-helpers.ts";
import path from "node:path";
import { escapeHtml } from "../../shared/html.ts";

export interface MailOutboxOptions {
  /** The folder the .eml files are written to (`<data dir>/mail`). */
  dir: string;
  port: number;
  /** The bearer token POST /messages requires (GETs are open: the server listens on 127.0.0.1 only). */
  authToken: string;
}

export interface MailOutbox {
  url: string;
  close(): Promise<void>;
}

/** Largest message accepted. */
const MAX_MESSAGE_BYTES = 2 * 1024 * 1024;
/** Idempotency keys and the ids they wrote, one JSON line each, so a restart keeps them. */
const KEYS_FILE = ".idempotency-keys.jsonl";

function send(res: http.ServerResponse, status: number, type: string, body: string | Buffer): void {
  res.writeHead(status, { "content-type": type, "cache-control": "no-store" });
  res.end(body);
}

interface Summary {
  id: string;
  file: string;
  subject: string;
  from: string;
  to: string;
  date: string;
  text: string;
  html: string;
  listUnsubscribe: string;
  listUnsubscribePost: string;
}

async function summarise(dir: string, file: string): Promise<Summary> {
  // Loaded on first listing only: posting messages needs no parser.
  const { simpleParser } = await import("mailparser");
  const parsed = await simpleParser(fs.readFileSync(path.join(dir, file)));
  // The header as written (mailparser folds the List-* headers into one structured value).
  const header = (name: string) => {
    const line = parsed.headerLines.find((h) => h.key === name)?.line ?? "";
    return line.slice(line.indexOf(":") + 1).trim();
  };
  const to = Array.isArray(parsed.to) ? parsed.to.map((a) => a.text).join(", ") : (parsed.to?.text ?? "");
  return {
    id: file.replace(/\.eml$/, "").split("-").slice(1).join("-"),
    file,
    subject: parsed.subject ?? "",
    from: parsed.from?.text ?? "",
    to,
    date: parsed.date?.toISOString() ?? "",
    text: parsed.text ?? "",
    html: typeof parsed.html === "string" ? parsed.html : "",
    listUnsubscribe: header("list-unsubscribe"),
    listUnsubscribePost: header("list-unsubscribe-post"),
  };
}

function messageFiles(dir: string): string[] {
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith(".eml"))
    .sort()
    .reverse();
}

/** The text part, escaped, with its http(s) URLs made links. */
function linkify(text: string): string {
  return escapeHtml(text).replace(/https?:\/\/[^\s<>"']+/g, (url) => `<a href="${url}">${url}</a>`);
}

function listingPage(messages: Summary[]): string {
  const items = messages
    .map(
      (m) => `<article><h2>${escapeHtml(m.subject)}</h2><p class="meta">To ${escapeHtml(m.to)} · ${escapeHtml(m.date)} · <a href="/messages/${encodeURIComponent(m.file)}">${escapeHtml(m.file)}</a></p><pre>${linkify(m.text)}</pre></article>`,
    )
    .join("\n");
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>Laurel mail outbox</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:48rem;margin:0 auto;padding:1rem}article{border-top:1px solid #ccc;padding:.5rem 0}h2{font-size:1.1rem;margin:.25rem 0}.meta{color:#555;margin:0}pre{white-space:pre-wrap;word-break:break-all}</style></head>
<body><h1>Laurel mail outbox</h1><p>${messages.length} message(s), newest first. Nothing here was sent anywhere.</p>${items}</body></html>`;
}

/** Starts the outbox server on 127.0.0.1:`port` (0: any free port). */
export async function startMailOutbox(options: MailOutboxOptions): Promise<MailOutbox> {
  const { dir, authToken } = options;
  fs.mkdirSync(dir, { recursive: true });
  const keysFile = path.join(dir, KEYS_FILE);
  const keys = new Map<string, { id: string; file: string }>();
  if (fs.existsSync(keysFile)) {
    for (const line of fs.readFileSync(keysFile, "utf8").split("\n")) {
      if (!line) continue;
      try {
        const entry = JSON.parse(line) as { key: string; id: string; file: string };
        keys.set(entry.key, { id: entry.id, file: entry.file });
      } catch {
        // a torn last line after a crash: that key is simply forgotten
      }
    }
  }

  const server = http.createServer((req, res) => {
    void handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) send(res, 500, "application/json", JSON.stringify({ error: (error as Error).message }));
      else res.destroy();
    });
  });

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", "http://outbox");
    if (req.method === "GET" && url.pathname === "/health") return send(res, 200, "application/json", '{"status":"ok"}');
    if (req.method === "POST" && url.pathname === "/messages") {
      if (!bearerAuthorized(req, authToken)) return send(res, 401, "application/json", '{"error":"bearer token required"}');
      const type = (req.headers["content-type"] ?? "").split(";")[0]!.trim().toLowerCase();
      if (type !== "message/rfc822") return send(res, 415, "application/json", '{"error":"Content-Type must be message/rfc822"}');
      const body = await readBodyCapped(req, MAX_MESSAGE_BYTES);
      if (body === null) return send(res, 413, "application/json", '{"error":"message too large"}');
      if (body.length === 0) return send(res, 400, "application/json", '{"error":"empty message"}');
      const key = String(req.headers["idempotency-key"] ?? "").slice(0, 200);
      const seen = key ? keys.get(key) : undefined;
      if (seen) return send(res, 200, "application/json", JSON.stringify({ ...seen, replayed: true }));
      const id = randomUUID();
      const file = `${new Date().toISOString().replace(/[:.]/g, "-")}-${id}.eml`;
      fs.writeFileSync(path.join(dir, file), body, { mode: 0o600 });
      if (key) {
        keys.set(key, { id, file });
        fs.appendFileSync(keysFile, `${JSON.stringify({ key, id, file })}\n`, { mode: 0o600 });
      }
      return send(res, 201, "application/json", JSON.stringify({ id, file }));
    }
    if (req.method === "GET" && url.pathname === "/messages.json") {
      const list = await Promise.all(messageFiles(dir).map((f) => summarise(dir, f)));
      return send(res, 200, "application/json", JSON.stringify(list));
    }
    if (req.method === "GET" && url.pathname.startsWith("/messages/")) {
      const file = decodeURIComponent(url.pathname.slice("/messages/".length));
      if (!/^[\w.-]+\.eml$/.test(file) || !fs.existsSync(path.join(dir, file))) return send(res, 404, "text/plain", "not found");
      return send(res, 200, "message/rfc822", fs.readFileSync(path.join(dir, file)));
    }
    if (req.method === "GET" && url.pathname === "/") {
      const list = await Promise.all(messageFiles(dir).slice(0, 200).map((f) => summarise(dir, f)));
      return send(res, 200, "text/html; charset=utf-8", listingPage(list));
    }
    return send(res, 404, "text/plain", "not found");
  }

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, "127.0.0.1", () => resolve());
  });
  const address = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${address.port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
