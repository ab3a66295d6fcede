// The libSQL server as production code meets it: @libsql/client's http protocol (the client the
// origin Worker uses against Turso), against a real database file.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "./testing.ts";

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer();
});
afterAll(async () => {
  await t.stop();
});

describe("execute", () => {
  it("binds positional arguments, including ?NNN, by SQLite's numbering", async () => {
    const rs = await t.client().execute({ sql: "SELECT ? AS x, ?3 AS z, ?2 AS y", args: ["one", "two", "three"] });
    expect(rs.rows[0]).toMatchObject({ x: "one", y: "two", z: "three" });
  });

  it("binds named arguments written :name, @name and $name, with or without the prefix", async () => {
    const c = t.client();
    const rs = await c.execute({ sql: "SELECT :a AS a, @b AS b, $c AS c, :a AS again", args: { a: 1, b: "bee", c: null } });
    expect(rs.rows[0]).toMatchObject({ a: 1, b: "bee", c: null, again: 1 });
    const prefixed = await c.execute({ sql: "SELECT :a AS a, @b AS b", args: { ":a": "x", "@b": "y" } });
    expect(prefixed.rows[0]).toMatchObject({ a: "x", b: "y" });
  });

  it("round-trips every value type exactly, integers beyond 2^53 included", async () => {
    const c = t.client({ intMode: "bigint" });
    await c.execute("CREATE TABLE vals (k INTEGER PRIMARY KEY, i INTEGER, f REAL, t TEXT, b BLOB, n ANY)");
    const rows = [
      [1n, 2n ** 53n + 1n, 1.5, "héllo wörld ✓ 漢字 🎉 e\u0301", new Uint8Array([0, 1, 2, 254, 255]), null],
      [2n, -(2n ** 63n), -0.25, "", new Uint8Array([]), null],
      [3n, 2n ** 63n - 1n, 1e300, "line\nbreak\t\"quoted\" 'single'", new Uint8Array(1024).fill(7), null],
    ] as const;
    for (const row of rows) await c.execute({ sql: "INSERT INTO vals VALUES (?, ?, ?, ?, ?, ?)", args: [...row] });

    const rs = await c.execute("SELECT k, i, f, t, b, n, typeof(i) AS ti, typeof(f) AS tf, typeof(b) AS tb FROM vals ORDER BY k");
    expect(rs.columns).toEqual(["k", "i", "f", "t", "b", "n", "ti", "tf", "tb"]);
    expect(rs.columnTypes.slice(0, 6)).toEqual(["INTEGER", "INTEGER", "REAL", "TEXT", "BLOB", "ANY"]);
    rs.rows.forEach((got, index) => {
      const [k, i, f, text, blob] = rows[index]!;
      expect(got.k).toBe(k);
      expect(got.i).toBe(i);
      expect(got.f).toBe(f);
      expect(got.t).toBe(text);
      expect(new Uint8Array(got.b as ArrayBuffer)).toEqual(blob);
      expect(got.n).toBeNull();
      expect([got.ti, got.tf, got.tb]).toEqual(["integer", "real", "blob"]);
    });

    const asString = await t.client({ intMode: "string" }).execute("SELECT i FROM vals ORDER BY k");
    expect(asString.rows.map((r) => r.i)).toEqual(["9007199254740993", "-9223372036854775808", "9223372036854775807"]);
  });

  it("keeps a float a float even when it is integral, and returns Infinity", async () => {
    const rs = await t.client().execute({ sql: "SELECT ? AS f, typeof(?) AS tf, 9e999 AS inf", args: [2, 2] });
    expect(rs.rows[0]).toMatchObject({ f: 2, tf: "real", inf: Number.POSITIVE_INFINITY });
  });

  it("reports last_insert_rowid exactly (beyond 2^53) and rowsAffected", async () => {
    const c = t.client({ intMode: "bigint" });
    await c.execute("CREATE TABLE ids (id INTEGER PRIMARY KEY, v TEXT)");
    const explicit = await c.execute({ sql: "INSERT INTO ids VALUES (?, 'a')", args: [2n ** 60n] });
    expect(explicit.lastInsertRowid).toBe(2n ** 60n);
    expect(explicit.rowsAffected).toBe(1);
    const next = await c.execute("INSERT INTO ids (v) VALUES ('b')");
    expect(next.lastInsertRowid).toBe(2n ** 60n + 1n);
    const update = await c.execute("UPDATE ids SET v = 'c'");
    expect(update.rowsAffected).toBe(2);
    const select = await c.execute("SELECT * FROM ids");
    expect(select.rowsAffected).toBe(0);
    const returning = await c.execute("INSERT INTO ids (v) VALUES ('d') RETURNING id, v");
    expect(returning.rows[0]).toMatchObject({ id: 2n ** 60n + 2n, v: "d" });
    expect(returning.lastInsertRowid).toBe(2n ** 60n + 2n);
  });
});

describe("connections", () => {
  it("every stream starts clean: no pragma, temp table or attachment left by the previous one", async () => {
    const c = t.client();
    for (let round = 0; round < 3; round++) {
      expect((await c.execute("PRAGMA foreign_keys")).rows[0]![0]).toBe(1);
      await c.execute("PRAGMA foreign_keys = OFF");
      await expect(c.execute("SELECT * FROM scratch")).rejects.toMatchObject({ code: "SQL_INPUT_ERROR" });
      await c.execute("CREATE TEMP TABLE scratch (v)");
      await c.execute("ATTACH ':memory:' AS side");
    }
    expect((await c.execute("PRAGMA database_list")).rows.map((r) => r.name)).toEqual(["main"]);
  });

  it("a pooled connection gets its settings back after a stream changed only a pragma, by statement or in a batch", async () => {
    const c = t.client();
    for (let round = 0; round < 3; round++) {
      expect((await c.execute("PRAGMA foreign_keys")).rows[0]![0]).toBe(1);
      expect((await c.execute("PRAGMA query_only")).rows[0]![0]).toBe(0);
      await c.execute("PRAGMA foreign_keys = OFF");
      await c.batch(["PRAGMA query_only = ON"], "read");
    }
  });
});

describe("batch", () => {
  it("runs every statement in one transaction and returns each result", async () => {
    const c = t.client();
    await c.execute("CREATE TABLE b1 (id INTEGER PRIMARY KEY, name TEXT UNIQUE)");
    const results = await c.batch(
      [
        { sql: "INSERT INTO b1 (name) VALUES (?)", args: ["a"] },
        { sql: "INSERT INTO b1 (name) VALUES (?)", args: ["b"] },
        "SELECT count(*) AS n FROM b1",
      ],
      "write",
    );
    expect(results).toHaveLength(3);
    expect(results[1]!.lastInsertRowid).toBe(2n);
    expect(results[2]!.rows[0]!.n).toBe(2);
  });

  it("rolls back all of its steps when one fails, and reports the failing step", async () => {
    const c = t.client();
    await c.execute("CREATE TABLE b2 (id INTEGER PRIMARY KEY, name TEXT UNIQUE)");
    await c.execute("INSERT INTO b2 (name) VALUES ('taken')");
    for (const mode of ["write", "deferred"] as const) {
      const error = await c
        .batch(["INSERT INTO b2 (name) VALUES ('new-1')", "INSERT INTO b2 (name) VALUES ('taken')", "INSERT INTO b2 (name) VALUES ('new-2')"], mode)
        .then(() => undefined, (e: unknown) => e);
      expect(error).toMatchObject({ name: "LibsqlBatchError", code: "SQLITE_CONSTRAINT", statementIndex: 1 });
      const rs = await c.execute("SELECT name FROM b2 ORDER BY id");
      expect(rs.rows.map((r) => r.name)).toEqual(["taken"]);
    }
  });

  it("stores repeated SQL texts on the stream (store_sql / sql_id) and reuses them", async () => {
    const c = t.client();
    await c.execute("CREATE TABLE b3 (n INTEGER)");
    // 45 distinct texts, each twice: more than the client's 30-entry cache, so it also evicts (close_sql).
    const stmts = Array.from({ length: 90 }, (_, i) => ({ sql: `INSERT INTO b3 (n) VALUES (? + ${i % 45} * 0)`, args: [i] }));
    await c.batch(stmts, "write");
    const rs = await c.execute("SELECT count(*) AS n, sum(n) AS s FROM b3");
    expect(rs.rows[0]).toMatchObject({ n: 90, s: (89 * 90) / 2 });
  });
});

describe("interactive transactions", () => {
  it("commit makes the writes visible; until then other clients do not see them", async () => {
    const c = t.client();
    const other = t.client();
    await c.execute("CREATE TABLE tx1 (v TEXT)");
    const tx = await c.transaction("write");
    await tx.execute("INSERT INTO tx1 VALUES ('inside')");
    expect((await tx.execute("SELECT count(*) AS n FROM tx1")).rows[0]!.n).toBe(1);
    expect((await other.execute("SELECT count(*) AS n FROM tx1")).rows[0]!.n).toBe(0);
    await tx.commit();
    expect((await other.execute("SELECT v FROM tx1")).rows.map((r) => r.v)).toEqual(["inside"]);
  });

  it("rollback discards the writes", async () => {
    const c = t.client();
    await c.execute("CREATE TABLE tx2 (v TEXT)");
    const tx = await c.transaction("write");
    await tx.execute("INSERT INTO tx2 VALUES ('gone')");
    await tx.batch(["INSERT INTO tx2 VALUES ('gone too')"]);
    await tx.rollback();
    expect((await c.execute("SELECT count(*) AS n FROM tx2")).rows[0]!.n).toBe(0);
  });

  it("an error inside a transaction followed by rollback leaves nothing behind", async () => {
    const c = t.client();
    await c.execute("CREATE TABLE tx3 (v TEXT UNIQUE)");
    const tx = await c.transaction("write");
    await tx.execute("INSERT INTO tx3 VALUES ('a')");
    await expect(tx.execute("INSERT INTO tx3 VALUES ('a')")).rejects.toMatchObject({ code: "SQLITE_CONSTRAINT" });
    await expect(tx.execute("SELEC nonsense")).rejects.toMatchObject({ code: "SQL_PARSE_ERROR" });
    await tx.rollback();
    expect((await c.execute("SELECT count(*) AS n FROM tx3")).rows[0]!.n).toBe(0);
  });

  it("supports read and deferred transactions", async () => {
    const c = t.client();
    await c.execute("CREATE TABLE tx4 (v INTEGER)");
    const read = await c.transaction("read");
    expect((await read.execute("SELECT count(*) AS n FROM tx4")).rows[0]!.n).toBe(0);
    await read.rollback();
    const deferred = await c.transaction("deferred");
    await deferred.execute("SELECT count(*) FROM tx4");
    await deferred.execute("INSERT INTO tx4 VALUES (2)");
    await deferred.commit();
    expect((await c.execute("SELECT v FROM tx4")).rows.map((r) => r.v)).toEqual([2]);
  });
});

describe("executeMultiple (sequence)", () => {
  it("runs a script with a trigger whose body contains semicolons", async () => {
    const c = t.client();
    await c.executeMultiple(`
      CREATE TABLE seq (v INTEGER); -- comment; with a semicolon
      CREATE TABLE seq_log (v INTEGER, kind TEXT);
      CREATE TRIGGER seq_ai AFTER INSERT ON seq BEGIN
        INSERT INTO seq_log VALUES (new.v, CASE WHEN new.v > 1 THEN 'big' ELSE 'small' END);
        INSERT INTO seq_log VALUES (new.v * 10, 'x;y');
      END;
      INSERT INTO seq VALUES (1); INSERT INTO seq VALUES (2);
    `);
    const rs = await c.execute("SELECT v, kind FROM seq_log ORDER BY rowid");
    expect(rs.rows.map((r) => [r.v, r.kind])).toEqual([[1, "small"], [10, "x;y"], [2, "big"], [20, "x;y"]]);
  });
});

describe("Hrana over HTTP, raw", () => {
  it("answers the version probes and the health check", async () => {
    for (const path of ["/v2", "/v3", "/health"]) expect((await fetch(`${t.url}${path}`)).status).toBe(200);
    expect(await (await fetch(`${t.url}/health`)).json()).toEqual({ status: "ok" });
    // Protobuf is not spoken: the client's v3-protobuf probe must fail so it falls back to JSON v2.
    expect((await fetch(`${t.url}/v3-protobuf`)).status).toBe(404);
  });

  it("rotates the baton on every response and frees the stream on close", async () => {
    const first = await t.pipeline({ baton: null, requests: [{ type: "execute", stmt: { sql: "BEGIN" } }] });
    expect(first.status).toBe(200);
    expect(first.json).toMatchObject({ baton: expect.any(String), base_url: null, results: [{ type: "ok" }] });
    const b1 = first.json.baton as string;

    const second = await t.pipeline({ baton: b1, requests: [{ type: "get_autocommit" }] }, { path: "/v3/pipeline" });
    expect(second.json.results).toEqual([{ type: "ok", response: { type: "get_autocommit", is_autocommit: false } }]);
    const b2 = second.json.baton as string;
    expect(b2).not.toBe(b1);
    expect(b2.length).toBeGreaterThanOrEqual(40);

    expect((await t.pipeline({ baton: b1, requests: [] })).json.code).toBe("BATON_INVALID");

    const closed = await t.pipeline({ baton: b2, requests: [{ type: "close" }, { type: "get_autocommit" }] });
    expect(closed.json.baton).toBeNull();
    expect(closed.json.results).toEqual([
      { type: "ok", response: { type: "close" } },
      { type: "error", error: { message: "The stream is closed", code: "STREAM_CLOSED" } },
    ]);
    expect((await t.pipeline({ baton: b2, requests: [] })).status).toBe(400);
  });

  it("evaluates batch conditions ok, error, not, and, or, is_autocommit", async () => {
    const step = (sql: string, condition?: unknown) => ({ stmt: { sql }, ...(condition ? { condition } : {}) });
    const { json } = await t.pipeline({
      baton: null,
      requests: [
        {
          type: "batch",
          batch: {
            steps: [
              step("SELECT 1"), // 0 ok
              step("SELECT * FROM no_such_table"), // 1 error
              step("SELECT 'error(1)'", { type: "error", step: 1 }), // 2 runs
              step("SELECT 'ok(1)'", { type: "ok", step: 1 }), // 3 skipped
              step("SELECT 'and'", { type: "and", conds: [{ type: "ok", step: 0 }, { type: "not", cond: { type: "ok", step: 1 } }] }), // 4 runs
              step("SELECT 'or'", { type: "or", conds: [{ type: "ok", step: 3 }, { type: "error", step: 3 }] }), // 5 skipped
              step("SELECT 'autocommit'", { type: "is_autocommit" }), // 6 runs
            ],
          },
        },
        { type: "close" },
      ],
    });
    const result = json.results[0].response.result;
    expect(result.step_results.map((r: unknown) => r !== null)).toEqual([true, false, true, false, true, false, true]);
    expect(result.step_errors.map((e: unknown) => e !== null)).toEqual([false, true, false, false, false, false, false]);
    expect(result.step_errors[1]).toEqual({ code: "SQL_INPUT_ERROR", message: "SQL input error: no such table: no_such_table" });
  });

  it("describes a statement, runs stored SQL by id, and honours want_rows: false", async () => {
    await t.client().execute("CREATE TABLE d1 (id INTEGER PRIMARY KEY, name TEXT)");
    const { json } = await t.pipeline({
      baton: null,
      requests: [
        { type: "describe", sql: "SELECT id, name AS n, 1 + 1 FROM d1 WHERE id = :id OR name = ? OR id = ?5" },
        { type: "describe", sql: "EXPLAIN SELECT 1" },
        { type: "describe", sql: "INSERT INTO d1 (name) VALUES (?)" },
        { type: "store_sql", sql_id: 7, sql: "INSERT INTO d1 (name) VALUES (?)" },
        { type: "execute", stmt: { sql_id: 7, args: [{ type: "text", value: "stored" }] } },
        { type: "sequence", sql: "INSERT INTO d1 (name) VALUES ('s1'); INSERT INTO d1 (name) VALUES ('s2')" },
        { type: "execute", stmt: { sql: "SELECT name FROM d1 ORDER BY id", want_rows: false } },
        { type: "close_sql", sql_id: 7 },
        { type: "execute", stmt: { sql_id: 7 } },
        { type: "close" },
      ],
    });
    const [select, explain, insert, stored, run, sequence, noRows, closeSql, afterClose] = json.results;
    expect(select.response.result).toEqual({
      params: [{ name: ":id" }, { name: null }, { name: null }, { name: null }, { name: "?5" }],
      cols: [
        { name: "id", decltype: "INTEGER" },
        { name: "n", decltype: "TEXT" },
        { name: "1 + 1", decltype: null },
      ],
      is_explain: false,
      is_readonly: true,
    });
    expect(explain.response.result).toMatchObject({ is_explain: true, is_readonly: true });
    expect(insert.response.result).toMatchObject({ params: [{ name: null }], cols: [], is_readonly: false });
    expect(stored).toEqual({ type: "ok", response: { type: "store_sql" } });
    expect(run.response.result).toMatchObject({ affected_row_count: 1, last_insert_rowid: "1" });
    expect(sequence).toEqual({ type: "ok", response: { type: "sequence" } });
    expect(noRows.response.result).toMatchObject({ cols: [{ name: "name", decltype: "TEXT" }], rows: [] });
    expect(closeSql).toEqual({ type: "ok", response: { type: "close_sql" } });
    expect(afterClose.error.code).toBe("SQL_NOT_FOUND");
    const names = await t.client().execute("SELECT name FROM d1 ORDER BY id");
    expect(names.rows.map((r) => r.name)).toEqual(["stored", "s1", "s2"]);
  });
});
