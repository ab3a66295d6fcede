// The drill's webhook receiver: a loopback Node server standing in for the org's systems (POST
// /hooks, the customer webhooks) and for the operators' alert channel (POST /alerts). It checks
// every Standard Webhooks signature with the `standardwebhooks` package and records each request
// by its webhook-id, so the reconciliation can tell a retry of one event (same id, allowed) from
// a second event for the same cause (a new id, a defect). `setDown(true)` makes /hooks answer 503,
// as a receiver that is down behind its load balancer does.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { Webhook } from "standardwebhooks";
import { readBodyCapped } from "../../local/http-server-helpers.ts";

/** One event as the receiver saw it (the first time), with how often its webhook-id arrived. */
export interface ReceivedEvent {
  webhookId: string;
  type: string;
  /** What the event is about: the credential id, or the batch id for batch.completed. */
  subject: string;
  /** Requests with this webhook-id answered 2xx (more than 1: a redelivery, allowed). */
  deliveries: number;
  firstAt: string;
}

export interface ReceivedAlert {
  at: string;
  webhookId: string;
  type: string;
  signatureOk: boolean;
  /** The alert's own fields (name, severity, summary…), as sent. */
  data: unknown;
}

export interface DrillReceiver {
  url: string;
  hooksUrl: string;
  alertsUrl: string;
  /** The endpoint's secret, known once the endpoint is created. */
  setHooksSecret(secret: string): void;
  setDown(down: boolean): void;
  events(): Map<string, ReceivedEvent>;
  alerts(): ReceivedAlert[];
  /** Requests refused: bad signature, unreadable body, or answered 503 while down. */
  counters(): { badSignatures: number; answeredWhileDown: number };
  close(): Promise<void>;
}

const MAX_BODY_BYTES = 64 * 1024;

/** The subject of an event body: the credential for credential.*, the batch for batch.completed. */
export function eventSubject(type: string, data: Record<string, unknown> | undefined): string {
  if (type === "batch.completed") return String(data?.batchId ?? "");
  return String(data?.credentialId ?? data?.endpointId ?? data?.keyId ?? "");
}

/** The body as text, or null when it is over the cap or the connection fails. */
async function readBody(req: http.IncomingMessage): Promise<string | null> {
  const body = await readBodyCapped(req, MAX_BODY_BYTES).catch(() => null);
  return body === null ? null : body.toString("utf8");
}

function headersOf(req: http.IncomingMessage): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of ["webhook-id", "webhook-timestamp", "webhook-signature"]) out[name] = String(req.headers[name] ?? "");
  return out;
}

/** Starts the receiver on a free loopback port; `alertsSecret` checks the alert channel's signatures. */
export async function startReceiver(alertsSecret: string): Promise<DrillReceiver> {
  let hooks: Webhook | null = null;
  const alertsVerifier = new Webhook(alertsSecret);
  let down = false;
  const events = new Map<string, ReceivedEvent>();
  const alerts: ReceivedAlert[] = [];
  const counters = { badSignatures: 0, answeredWhileDown: 0 };

  const server = http.createServer(async (req, res) => {
    const answer = (status: number) => {
      res.writeHead(status, { "content-type": "text/plain" });
      res.end(String(status));
    };
    if (req.method !== "POST") return answer(405);
    const body = await readBody(req);
    if (body === null) return answer(413);
    const headers = headersOf(req);
    if (req.url === "/alerts") {
      let signatureOk = true;
      try {
        alertsVerifier.verify(body, headers);
      } catch {
        signatureOk = false;
      }
      let parsed: { type?: string; data?: unknown } = {};
      try {
        parsed = JSON.parse(body);
      } catch {
        // Recorded as it came.
      }
      alerts.push({ at: new Date().toISOString(), webhookId: headers["webhook-id"]!, type: String(parsed.type ?? "(unreadable)"), signatureOk, data: parsed.data ?? body.slice(0, 500) });
      return answer(signatureOk ? 204 : 401);
    }
    if (req.url !== "/hooks") return answer(404);
    if (down) {
      counters.answeredWhileDown++;
      return answer(503);
    }
    let event: { type: string; data?: Record<string, unknown> };
    try {
      if (!hooks) throw new Error("no secret yet");
      event = hooks.verify(body, headers) as typeof event;
    } catch {
      counters.badSignatures++;
      return answer(401);
    }
    const webhookId = headers["webhook-id"]!;
    const seen = events.get(webhookId);
    if (seen) seen.deliveries++;
    else events.set(webhookId, { webhookId, type: event.type, subject: eventSubject(event.type, event.data), deliveries: 1, firstAt: new Date().toISOString() });
    return answer(204);
  });
  // Lanes keep connections open; a quick keep-alive timeout is not wanted here.
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    hooksUrl: `${url}/hooks`,
    alertsUrl: `${url}/alerts`,
    setHooksSecret: (secret) => (hooks = new Webhook(secret)),
    setDown: (value) => (down = value),
    events: () => events,
    alerts: () => alerts,
    counters: () => ({ ...counters }),
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
