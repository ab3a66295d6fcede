import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startOtlpReceiver, type OtlpReceiver } from "./server.ts";

const TOKEN = "test-token-0123456789";
const TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
let dir: string;
let receiver: OtlpReceiver;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "otlp-"));
  receiver = await startOtlpReceiver({ dir, port: 0, authToken: TOKEN });
});
afterAll(async () => {
  await receiver.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const attr = (key: string, value: string) => ({ key, value: { stringValue: value } });

// An OTLP/HTTP JSON export as the OpenTelemetry JS serializer writes it (ids in hex, times in ns as strings).
function exportBody(traceId: string, requestId: string) {
  return {
    resourceSpans: [
      {
        resource: { attributes: [attr("service.name", "laurel-origin")] },
        scopeSpans: [
          {
            scope: { name: "laurel-origin" },
            spans: [
              { traceId, spanId: "00f067aa0ba902b7", name: "POST /v1/credentials/batch", kind: 2, startTimeUnixNano: "1700000000000000000", endTimeUnixNano: "1700000000025000000", attributes: [attr("laurel.request_id", requestId)], status: { code: 0 } },
              { traceId, spanId: "00f067aa0ba902b8", parentSpanId: "00f067aa0ba902b7", name: "laurel-batches job batch.issue", kind: 5, startTimeUnixNano: "1700000000030000000", endTimeUnixNano: "1700000000130000000", attributes: [{ key: "laurel.attempt", value: { intValue: "1" } }], status: { code: 2 } },
            ],
          },
        ],
      },
    ],
  };
}

const post = (body: unknown, headers: Record<string, string> = {}) =>
  fetch(`${receiver.url}/v1/traces`, { method: "POST", headers: { authorization: `Bearer ${TOKEN}`, "content-type": "application/json", ...headers }, body: JSON.stringify(body) });
const lookup = (query: string, token = TOKEN) => fetch(`${receiver.url}/v1/spans?${query}`, { headers: { authorization: `Bearer ${token}` } });

describe("the local OTLP receiver", () => {
  it("stores exported spans as JSON lines and finds a whole trace by a request id on one of its spans", async () => {
    expect((await post(exportBody(TRACE, "req-42"))).status).toBe(200);
    expect((await post(exportBody("5bf92f3577b34da6a3ce929d0e0e4736", "req-other"))).status).toBe(200);
    const files = fs.readdirSync(dir).filter((f) => f.endsWith(".jsonl"));
    expect(files).toHaveLength(1);
    expect(fs.readFileSync(path.join(dir, files[0]!), "utf8").trim().split("\n")).toHaveLength(4);

    const found = (await (await lookup("requestId=req-42")).json()) as { spans: Record<string, unknown>[] };
    expect(found.spans).toEqual([
      expect.objectContaining({ traceId: TRACE, spanId: "00f067aa0ba902b7", parentSpanId: null, service: "laurel-origin", kind: 2, startMs: 1700000000000, durationMs: 25 }),
      expect.objectContaining({ traceId: TRACE, parentSpanId: "00f067aa0ba902b7", status: 2, durationMs: 100, attributes: { "laurel.attempt": 1 } }),
    ]);
    const byTrace = (await (await lookup(`traceId=${TRACE}`)).json()) as { spans: unknown[] };
    expect(byTrace.spans).toHaveLength(2);
  });

  it("refuses requests without the token, protobuf bodies and malformed lookups", async () => {
    expect((await post(exportBody(TRACE, "x"), { authorization: "Bearer wrong" })).status).toBe(401);
    expect((await lookup(`traceId=${TRACE}`, "wrong")).status).toBe(401);
    expect((await post(exportBody(TRACE, "x"), { "content-type": "application/x-protobuf" })).status).toBe(415);
    expect((await lookup("traceId=not-hex")).status).toBe(400);
    expect((await lookup("")).status).toBe(400);
    expect((await fetch(`${receiver.url}/health`)).status).toBe(200);
  });
});
