// Failures: SQL errors reach @libsql/client as LibsqlError with sqld's codes; protocol abuse is
// a 400 JSON error and never takes the server down; batons and streams end cleanly.
import { LibsqlError } from "@libsql/client/web";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { exec, startTestServer, type TestServer } from "./testing.ts";

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer();
  await t.client().executeMultiple(`
    CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT NOT NULL UNIQUE, age INTEGER CHECK (age >= 0));
    CREATE TABLE posts (id INTEGER PRIMARY KEY, user_id INTEGER NOT NULL REFERENCES users(id));
    INSERT INTO users (id, email, age) VALUES (1, 'a@example.test', 30);
  `);
});
afterAll(async () => {
  await t.stop();
});

const failure = (promise: Promise<unknown>): Promise<unknown> => promise.then(() => undefined, (e: unknown) => e);

describe("SQL errors through @libsql/client", () => {
  it("a constraint violation is a LibsqlError with code SQLITE_CONSTRAINT", async () => {
    const c = t.client();
    const cases = [
      ["INSERT INTO users (email) VALUES ('a@example.test')", "UNIQUE constraint failed: users.email"],
      ["INSERT INTO users (email) VALUES (NULL)", "NOT NULL constraint failed: users.email"],
      ["INSERT INTO users (email, age) VALUES ('b@example.test', -1)", "CHECK constraint failed"],
      ["INSERT INTO posts (user_id) VALUES (999)", "FOREIGN KEY constraint failed"],
    ] as const;
    for (const [sql, message] of cases) {
      const error = await failure(c.execute(sql));
      expect(error).toBeInstanceOf(LibsqlError);
      expect(error).toMatchObject({ code: "SQLITE_CONSTRAINT", message: expect.stringContaining(message) });
    }
    expect((await c.execute("SELECT count(*) AS n FROM users")).rows[0]!.n).toBe(1);
  });

  it("syntax errors, unknown tables and runtime errors carry their codes", async () => {
    const c = t.client();
    expect(await failure(c.execute("SELEC 1"))).toMatchObject({ code: "SQL_PARSE_ERROR", message: expect.stringContaining("syntax error") });
    expect(await failure(c.execute("SELECT * FROM missing"))).toMatchObject({ code: "SQL_INPUT_ERROR", message: expect.stringContaining("no such table: missing") });
    expect(await failure(c.execute("SELECT json('not json')"))).toMatchObject({ code: "SQLITE_ERROR", message: expect.stringContaining("malformed JSON") });
  });

  it("rejects several statements in one execute instead of running only the first", async () => {
    const c = t.client();
    expect(await failure(c.execute("INSERT INTO users (email) VALUES ('x@example.test'); DELETE FROM users"))).toMatchObject({ code: "SQL_MANY_STATEMENTS" });
    expect(await failure(c.execute("  -- nothing here ;"))).toMatchObject({ code: "SQL_NO_STATEMENT" });
    expect((await c.execute("SELECT count(*) AS n FROM users")).rows[0]!.n).toBe(1);
  });

  it("rejects arguments that do not match the statement's parameters", async () => {
    const c = t.client();
    expect(await failure(c.execute({ sql: "SELECT ?", args: [1, 2] }))).toMatchObject({ code: "ARGS_INVALID" });
    expect(await failure(c.execute({ sql: "SELECT :a", args: { b: 1 } }))).toMatchObject({ code: "ARGS_INVALID" });
    // A named argument bound to a statement with a bare `?` once aborted the process (libsql binding).
    expect(await failure(c.execute({ sql: "SELECT ?, :a", args: { a: 1 } }))).toBeUndefined();
    const both = await t.pipeline({
      baton: null,
      requests: [{ type: "execute", stmt: { sql: "SELECT ?, :a", args: [{ type: "null" }], named_args: [{ name: "a", value: { type: "null" } }] } }],
    });
    expect(both.json.results[0].error.code).toBe("ARGS_BOTH_POSITIONAL_AND_NAMED");
  });
});

describe("malformed requests", () => {
  const badBodies: Array<[string, unknown]> = [
    ["not JSON", "{ nope"],
    ["a JSON array", "[]"],
    ["no requests", { baton: null }],
    ["a non-string baton", { baton: 5, requests: [] }],
    ["an unknown request type", { baton: null, requests: [{ type: "drop_everything" }] }],
    ["an execute without stmt", { baton: null, requests: [{ type: "execute" }] }],
    ["both sql and sql_id", { baton: null, requests: [{ type: "execute", stmt: { sql: "SELECT 1", sql_id: 1 } }] }],
    ["neither sql nor sql_id", { baton: null, requests: [{ type: "sequence" }] }],
    ["an integer that is not a decimal string", { baton: null, requests: [{ type: "execute", stmt: { sql: "SELECT ?", args: [{ type: "integer", value: "12abc" }] } }] }],
    ["an integer beyond 64 bits", { baton: null, requests: [{ type: "execute", stmt: { sql: "SELECT ?", args: [{ type: "integer", value: "9223372036854775808" }] } }] }],
    ["a blob that is not base64", { baton: null, requests: [{ type: "execute", stmt: { sql: "SELECT ?", args: [{ type: "blob", base64: "***" }] } }] }],
    ["an unknown value type", { baton: null, requests: [{ type: "execute", stmt: { sql: "SELECT ?", args: [{ type: "date", value: "x" }] } }] }],
    ["a condition on a later step", { baton: null, requests: [{ type: "batch", batch: { steps: [{ stmt: { sql: "SELECT 1" }, condition: { type: "ok", step: 0 } }] } }] }],
    ["a non-integer sql_id", { baton: null, requests: [{ type: "store_sql", sql_id: 1.5, sql: "SELECT 1" }] }],
  ];

  it.each(badBodies)("answers 400 with a JSON error for %s", async (_, body) => {
    const { status, json } = await t.pipeline(body);
    expect(status).toBe(400);
    expect(json).toMatchObject({ code: "PROTOCOL_ERROR", message: expect.any(String) });
  });

  it("validates the whole body before running any of it", async () => {
    const { status } = await t.pipeline({
      baton: null,
      requests: [exec("INSERT INTO users (email) VALUES ('early@example.test')"), { type: "execute", stmt: {} }],
    });
    expect(status).toBe(400);
    expect((await t.client().execute("SELECT count(*) AS n FROM users")).rows[0]!.n).toBe(1);
  });

  it("answers 413 to a body over 10 MB, and keeps serving", async () => {
    const big = JSON.stringify({ baton: null, requests: [exec("SELECT ?", [{ type: "text", value: "x".repeat(10 * 1024 * 1024) }])] });
    const { status, json } = await t.pipeline(big);
    expect(status).toBe(413);
    expect(json.code).toBe("BODY_TOO_LARGE");
    expect((await t.client().execute("SELECT 1 AS one")).rows[0]!.one).toBe(1);
  });

  it("answers 404 for unknown paths and 405 for wrong methods", async () => {
    expect((await fetch(`${t.url}/v1/execute`, { method: "POST", body: "{}" })).status).toBe(404);
    expect((await fetch(`${t.url}/v2/pipeline`)).status).toBe(405);
  });
});

describe("batons and stream expiry", () => {
  it("an unknown baton is a 400 JSON error the client can read", async () => {
    const { status, json } = await t.pipeline({ baton: "bm90LWEtYmF0b24", requests: [exec("SELECT 1")] });
    expect(status).toBe(400);
    expect(json).toEqual({ code: "BATON_INVALID", message: expect.stringContaining("baton") });
  });

  it("an idle stream expires: its transaction is rolled back and the write lock freed", async () => {
    const quick = await startTestServer({ streamIdleTimeoutMs: 150 });
    try {
      const c = quick.client();
      await c.execute("CREATE TABLE e (v TEXT)");
      const tx = await c.transaction("write");
      await tx.execute("INSERT INTO e VALUES ('abandoned')");
      await new Promise((resolve) => setTimeout(resolve, 400));
      // Another writer is not stuck behind the abandoned transaction.
      await quick.client().execute("INSERT INTO e VALUES ('after')");
      const error = await failure(tx.commit());
      expect(error).toBeInstanceOf(LibsqlError);
      expect(error).toMatchObject({ code: "STREAM_EXPIRED" });
      expect((await c.execute("SELECT v FROM e")).rows.map((r) => r.v)).toEqual(["after"]);
    } finally {
      await quick.stop();
    }
  });
});

describe("what a web page could send is refused", () => {
  const post = (url: string, headers: Record<string, string>, body = JSON.stringify({ baton: null, requests: [exec("SELECT 1")] })) =>
    fetch(`${url}/v2/pipeline`, { method: "POST", headers, body });

  it("unauthenticated POST /v2/pipeline → 401; not JSON → 415; an Origin header or a foreign Host → 403", async () => {
    const secured = await startTestServer({ authToken: "s3cret-token" });
    try {
      const json = { "content-type": "application/json" };
      const auth = { authorization: "Bearer s3cret-token" };
      const unauthenticated = await post(secured.url, json);
      expect(unauthenticated.status).toBe(401);
      expect(await unauthenticated.json()).toMatchObject({ code: "UNAUTHORIZED" });
      expect((await post(secured.url, { ...auth, ...json })).status).toBe(200);
      for (const type of ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "application/jsonx"]) {
        const res = await post(secured.url, { ...auth, "content-type": type });
        expect(res.status, type).toBe(415);
        expect(await res.json()).toMatchObject({ code: "UNSUPPORTED_MEDIA_TYPE" });
      }
      expect((await post(secured.url, { ...auth })).status).toBe(415); // no content type at all
      const withOrigin = await post(secured.url, { ...auth, ...json, origin: "https://evil.example" });
      expect(withOrigin.status).toBe(403);
      expect(await withOrigin.json()).toMatchObject({ code: "FORBIDDEN" });
      expect((await post(secured.url, { ...auth, ...json, origin: "null" })).status).toBe(403);
      // DNS rebinding: the page's own host name arrives as Host. fetch() will not set Host, so raw HTTP.
      const { request } = await import("node:http");
      const status = await new Promise<number>((resolve, reject) => {
        const req = request(`${secured.url}/v2/pipeline`, { method: "POST", headers: { ...auth, ...json, host: "rebound.evil.example:8080" } }, (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        });
        req.on("error", reject);
        req.end(JSON.stringify({ baton: null, requests: [] }));
      });
      expect(status).toBe(403);
      expect((await fetch(`${secured.url}/health`, { headers: { origin: "https://evil.example" } })).status).toBe(403);
    } finally {
      await secured.stop();
    }
  });
});

describe("bearer auth", () => {
  it("when a token is configured, pipelines need it; health and version probes do not", async () => {
    const secured = await startTestServer({ authToken: "s3cret-token" });
    try {
      expect(await failure(secured.client().execute("SELECT 1"))).toMatchObject({ code: "UNAUTHORIZED" });
      expect(await failure(secured.client({ authToken: "wrong" }).execute("SELECT 1"))).toMatchObject({ code: "UNAUTHORIZED" });
      const rs = await secured.client({ authToken: "s3cret-token" }).execute("SELECT 1 AS one");
      expect(rs.rows[0]!.one).toBe(1);
      expect((await fetch(`${secured.url}/health`)).status).toBe(200);
      expect((await fetch(`${secured.url}/v2`)).status).toBe(200);
    } finally {
      await secured.stop();
    }
  });
});
