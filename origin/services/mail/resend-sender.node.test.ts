// The Resend sender against a fake of Resend's documented API (a third party: faked, as the
// quality bar allows): request shape, idempotency header, and which answers are worth a retry.
import http from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MailSendError } from "./sender.ts";
import { resendSender } from "./resend-sender.ts";

let server: http.Server;
let endpoint: string;
let next: { status: number; body: unknown } = { status: 200, body: { id: "re_123" } };
const seen: { headers: http.IncomingHttpHeaders; body: Record<string, unknown> }[] = [];

beforeAll(async () => {
  server = http.createServer((req, res) => {
    let raw = "";
    req.on("data", (c) => (raw += c));
    req.on("end", () => {
      seen.push({ headers: req.headers, body: JSON.parse(raw) as Record<string, unknown> });
      res.writeHead(next.status, { "content-type": "application/json" });
      res.end(JSON.stringify(next.body));
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  endpoint = `http://127.0.0.1:${(server.address() as { port: number }).port}/emails`;
});

afterAll(() => new Promise<void>((r) => server.close(() => r())));

const message = {
  to: "ada@example.edu",
  from: { name: 'Acme "Academy"', address: "notifications@acme.example" },
  subject: "You have a credential",
  text: "text",
  html: "<p>html</p>",
  headers: { "List-Unsubscribe": "<https://origin.test/unsubscribe?x>" },
  idempotencyKey: "notification/c1/issued/0",
};

async function failure(status: number, body: unknown): Promise<MailSendError> {
  next = { status, body };
  const error = await resendSender("re_key", endpoint).send(message).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(MailSendError);
  return error as MailSendError;
}

describe("Resend sender", () => {
  it("posts the documented body with the API key and the idempotency key; answers the provider's id", async () => {
    next = { status: 200, body: { id: "re_123" } };
    expect(await resendSender("re_key", endpoint).send(message)).toEqual({ providerMessageId: "re_123" });
    const request = seen.at(-1)!;
    expect(request.headers.authorization).toBe("Bearer re_key");
    expect(request.headers["idempotency-key"]).toBe("notification/c1/issued/0");
    expect(request.body).toEqual({
      from: '"Acme \\"Academy\\"" <notifications@acme.example>',
      to: ["ada@example.edu"],
      subject: "You have a credential",
      html: "<p>html</p>",
      text: "text",
      headers: { "List-Unsubscribe": "<https://origin.test/unsubscribe?x>" },
    });
  });

  it("a refused message (422) is permanent; rate limits, in-flight keys and 5xx are retried", async () => {
    const refused = await failure(422, { statusCode: 422, name: "validation_error", message: "Invalid `to` field: ada@example.edu" });
    expect(refused.permanent).toBe(true);
    expect(refused.message).toBe("mail provider answered 422 validation_error");
    expect(refused.message).not.toContain("ada@"); // no address in what gets logged and stored
    expect((await failure(429, { name: "rate_limit_exceeded" })).permanent).toBe(false);
    expect((await failure(409, { name: "concurrent_idempotent_requests" })).permanent).toBe(false);
    expect((await failure(503, {})).permanent).toBe(false);
    expect((await failure(401, { name: "missing_api_key" })).permanent).toBe(true);
  });
});
