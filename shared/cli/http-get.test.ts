// The CLI's guarded GET against real local servers (loopback is allowed to the CLI, which is what
// makes these tests possible; the address rules themselves are table-tested in shared/net).
import { createServer, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createHttpGet, guardedLookup } from "./http-get.ts";

const routes = new Map<string, (res: ServerResponse) => void>();
let server: Server;
let base: string; // http://127.0.0.1:<port>
let requests: string[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    requests.push(req.url ?? "");
    const route = routes.get(req.url ?? "");
    if (route) route(res);
    else res.writeHead(404).end("nope");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const port = (server.address() as AddressInfo).port;
  routes.set("/doc", (res) => res.writeHead(200, { "content-type": "text/plain" }).end("hello"));
  routes.set("/hop", (res) => res.writeHead(302, { location: "/doc" }).end());
  routes.set("/loop", (res) => res.writeHead(302, { location: "/loop" }).end());
  routes.set("/elsewhere", (res) => res.writeHead(301, { location: `http://localhost:${port}/doc` }).end());
  routes.set("/to-metadata", (res) => res.writeHead(307, { location: "http://169.254.169.254/latest/meta-data/" }).end());
  routes.set("/big-declared", (res) => res.writeHead(200, { "content-length": "5000" }).end("x".repeat(5000)));
  routes.set("/big-chunked", (res) => {
    res.writeHead(200); // no content-length: chunked, cut off while streaming
    for (let i = 0; i < 50; i++) res.write("y".repeat(100));
    res.end();
  });
  routes.set("/silent", () => {}); // never answers
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

const get = createHttpGet({ maxBytes: 1000, timeoutMs: 5_000, maxRedirects: 2 });

describe("createHttpGet", () => {
  it("returns the body of a 200", async () => {
    expect(new TextDecoder().decode(await get(`${base}/doc`, "text/plain"))).toBe("hello");
  });

  it("follows a same-origin redirect", async () => {
    expect(new TextDecoder().decode(await get(`${base}/hop`, "text/plain"))).toBe("hello");
  });

  it("stops after maxRedirects", async () => {
    await expect(get(`${base}/loop`, "*/*")).rejects.toThrow(/more than 2 redirects/);
  });

  it("refuses a redirect to another origin, even on the same machine", async () => {
    requests = [];
    await expect(get(`${base}/elsewhere`, "*/*")).rejects.toThrow(/redirects to another origin/);
    expect(requests).toEqual(["/elsewhere"]);
  });

  it("refuses a redirect to the metadata address", async () => {
    await expect(get(`${base}/to-metadata`, "*/*")).rejects.toThrow(/another origin/);
  });

  it("refuses a body whose declared length is over the cap", async () => {
    await expect(get(`${base}/big-declared`, "*/*")).rejects.toThrow(/larger than 1000 bytes/);
  });

  it("cuts off a streamed body over the cap", async () => {
    await expect(get(`${base}/big-chunked`, "*/*")).rejects.toThrow(/larger than 1000 bytes/);
  });

  it("reports a non-2xx answer with its status", async () => {
    await expect(get(`${base}/missing`, "*/*")).rejects.toThrow(/answered 404/);
  });

  it("gives up on a server that never answers", async () => {
    const impatient = createHttpGet({ maxBytes: 1000, timeoutMs: 300, maxRedirects: 0 });
    await expect(impatient(`${base}/silent`, "*/*")).rejects.toThrow(/no answer within 0.3 s/);
  });

  it.each([
    ["http://badges.example.org/did.json", /https only/],
    ["https://10.0.0.1/status/1", /private address/],
    ["https://169.254.169.254/latest/meta-data/", /cloud metadata/],
    ["https://[::ffff:192.168.1.1]/x", /private address/],
    ["https://intranet/x", /single-label/],
    ["file:///etc/passwd", /scheme file:/],
  ])("refuses %s before connecting", async (url, reason) => {
    await expect(get(url, "*/*")).rejects.toThrow(reason);
  });
});

describe("guardedLookup", () => {
  function resolve(host: string, loopback: boolean) {
    return new Promise<{ err: Error | null; addresses: unknown }>((done) =>
      guardedLookup(loopback)(host, { all: true }, (err, addresses) => done({ err, addresses })),
    );
  }

  it("lets a loopback name through to loopback addresses", async () => {
    const { err, addresses } = await resolve("localhost", true);
    expect(err).toBeNull();
    expect((addresses as { address: string }[]).length).toBeGreaterThan(0);
  });

  it("refuses a name that resolves to a non-public address when a public one is required (rebinding)", async () => {
    const { err } = await resolve("localhost", false);
    expect(err?.message).toMatch(/resolves to (127\.0\.0\.1|::1), a loopback address/);
  });
});
