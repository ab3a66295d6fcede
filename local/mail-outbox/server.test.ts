import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startMailOutbox, type MailOutbox } from "./server.ts";

const TOKEN = "outbox-test-token";
let dir: string;
let outbox: MailOutbox;

const message = (subject: string) =>
  [`From: "Test Org" <n@laurel.test>`, "To: <ada@example.edu>", `Subject: ${subject}`, "Content-Type: text/plain; charset=UTF-8", "", "Open https://verify.example.test/c/1", ""].join("\r\n");

function post(body: string, headers: Record<string, string> = {}) {
  return fetch(`${outbox.url}/messages`, {
    method: "POST",
    headers: { authorization: `Bearer ${TOKEN}`, "content-type": "message/rfc822", ...headers },
    body,
  });
}

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "laurel-outbox-"));
  outbox = await startMailOutbox({ dir, port: 0, authToken: TOKEN });
});

afterAll(async () => {
  await outbox.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe("local mail outbox", () => {
  it("writes each message as a .eml file; a repeated Idempotency-Key writes nothing, also after a restart", async () => {
    const first = await post(message("Hello"), { "idempotency-key": "k1" });
    expect(first.status).toBe(201);
    const { id, file } = (await first.json()) as { id: string; file: string };
    expect(fs.readFileSync(path.join(dir, file), "utf8")).toContain("Subject: Hello");
    const again = await post(message("Hello"), { "idempotency-key": "k1" });
    expect(again.status).toBe(200);
    expect(((await again.json()) as { id: string }).id).toBe(id);
    await outbox.close();
    outbox = await startMailOutbox({ dir, port: 0, authToken: TOKEN });
    expect((await post(message("Hello"), { "idempotency-key": "k1" })).status).toBe(200);
    expect(fs.readdirSync(dir).filter((f) => f.endsWith(".eml"))).toHaveLength(1);
  });

  it("refuses a missing token (401) and another media type (415)", async () => {
    expect((await post(message("x"), { authorization: "Bearer wrong" })).status).toBe(401);
    expect((await post(message("x"), { "content-type": "text/plain" })).status).toBe(415);
  });

  it("lists messages with clickable links", async () => {
    await post(message("Listed <b>"), { "idempotency-key": "k2" });
    const page = await (await fetch(outbox.url)).text();
    expect(page).toContain("Listed &lt;b&gt;");
    expect(page).toContain('<a href="https://verify.example.test/c/1">');
    const list = (await (await fetch(`${outbox.url}/messages.json`)).json()) as { subject: string; to: string }[];
    expect(list.map((m) => m.subject)).toContain("Listed <b>");
  });
});
