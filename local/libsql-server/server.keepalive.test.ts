// Idle keep-alive connections stay open until the client closes them. A server-side idle timeout
// raced with clients reusing pooled connections: the origin's queries then failed with "Network
// connection lost" (500s under load after the origin isolate had stalled for a few seconds).
import http from "node:http";
import { afterAll, beforeAll, expect, it } from "vitest";
import { exec, startTestServer, type TestServer } from "./testing.ts";

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer();
});
afterAll(async () => {
  await t.stop();
});

function post(agent: http.Agent, body: unknown): Promise<{ status: number; reused: boolean }> {
  return new Promise((resolve, reject) => {
    const req = http.request(`${t.url}/v2/pipeline`, { method: "POST", agent, headers: { "content-type": "application/json" } }, (res) => {
      res.resume();
      res.on("end", () => resolve({ status: res.statusCode ?? 0, reused: req.reusedSocket }));
    });
    req.on("error", reject);
    req.end(JSON.stringify(body));
  });
}

it("keeps an idle keep-alive connection open past the old 5 s server timeout (+1 s Node grace)", async () => {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  try {
    const body = { baton: null, requests: [exec("SELECT 1"), { type: "close" }] };
    expect(await post(agent, body)).toEqual({ status: 200, reused: false });
    await new Promise((r) => setTimeout(r, 7_000));
    expect(await post(agent, body)).toEqual({ status: 200, reused: true });
  } finally {
    agent.destroy();
  }
}, 20_000);
