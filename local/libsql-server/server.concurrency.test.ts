// Many writers at once on one database file: the async write lock must serialize them without
// freezing the event loop, losing rows, or failing anyone.
import { spawn } from "node:child_process";
import { once } from "node:events";
import { createInterface } from "node:readline";
import type { Client } from "@libsql/client/web";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { exec, startTestServer, type TestServer } from "./testing.ts";

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer();
});
afterAll(async () => {
  await t.stop();
});

const pending = Symbol("pending");
const settledWithin = <T>(promise: Promise<T>, ms: number): Promise<T | typeof pending> =>
  Promise.race([promise, new Promise<typeof pending>((resolve) => setTimeout(() => resolve(pending), ms))]);

/**
 * Another process takes SQLite's write lock on `file` (inserting a row into `table`) and holds
 * it until `release()`.
 */
async function lockFromAnotherProcess(file: string, table: string) {
  const script = `
    const Database = require("libsql");
    const db = new Database(process.argv[1]);
    db.exec("BEGIN IMMEDIATE");
    db.exec("INSERT INTO ${table} VALUES ('other process')");
    console.log("locked");
    process.stdin.once("data", () => db.exec("COMMIT"));
  `;
  const child = spawn(process.execPath, ["-e", script, file], { cwd: process.cwd(), stdio: ["pipe", "pipe", "inherit"] });
  const exited = once(child, "exit");
  const [first] = (await once(createInterface({ input: child.stdout }), "line")) as [string];
  expect(first).toBe("locked");
  return {
    release: async () => {
      child.stdin.end("go\n");
      expect(await exited).toEqual([0, null]);
    },
  };
}

async function insertVia(c: Client, way: number, client: number, seq: number): Promise<void> {
  const insert = { sql: "INSERT INTO rows500 (client, seq) VALUES (?, ?)", args: [client, seq] };
  switch (way % 5) {
    case 0:
      await c.execute(insert);
      return;
    case 1:
      await c.batch([insert], "write");
      return;
    case 2:
      await c.batch([insert]); // "deferred": BEGIN DEFERRED, then the write
      return;
    case 3: {
      const tx = await c.transaction("write");
      await tx.execute("SELECT count(*) FROM rows500");
      await tx.execute(insert);
      await tx.commit();
      return;
    }
    default: {
      const tx = await c.transaction("deferred");
      await tx.execute(insert);
      await tx.commit();
    }
  }
}

describe("concurrent writers", () => {
  it("20 clients x 25 inserts through execute, batch and transactions: exactly 500 rows", async () => {
    await t.client().execute("CREATE TABLE rows500 (id INTEGER PRIMARY KEY, client INTEGER, seq INTEGER, UNIQUE (client, seq))");
    const errors: unknown[] = [];
    await Promise.all(
      Array.from({ length: 20 }, async (_, client) => {
        const c = t.client();
        for (let seq = 0; seq < 25; seq++) {
          await insertVia(c, client + seq, client, seq).catch((e: unknown) => errors.push(e));
        }
      }),
    );
    expect(errors).toEqual([]);
    const rs = await t.client().execute("SELECT count(*) AS n, count(DISTINCT client * 100 + seq) AS d, max(id) AS m FROM rows500");
    expect(rs.rows[0]).toMatchObject({ n: 500, d: 500, m: 500 });
  }, 60_000);

  it("read-modify-write transactions on one counter end with the exact total", async () => {
    await t.client().execute("CREATE TABLE counter (id INTEGER PRIMARY KEY, v INTEGER NOT NULL)");
    await t.client().execute("INSERT INTO counter VALUES (1, 0)");
    await Promise.all(
      Array.from({ length: 20 }, async () => {
        const c = t.client();
        for (let i = 0; i < 10; i++) {
          const tx = await c.transaction("write");
          const v = (await tx.execute("SELECT v FROM counter WHERE id = 1")).rows[0]!.v as number;
          await tx.execute({ sql: "UPDATE counter SET v = ? WHERE id = 1", args: [v + 1] });
          await tx.commit();
        }
      }),
    );
    expect((await t.client().execute("SELECT v FROM counter")).rows[0]!.v).toBe(200);
  }, 60_000);

  it("a writer waits for an open transaction while readers go straight through", async () => {
    const c = t.client();
    await c.execute("CREATE TABLE queue1 (v TEXT)");
    const tx = await c.transaction("write");
    await tx.execute("INSERT INTO queue1 VALUES ('first')");

    const waiting = t.client().execute("INSERT INTO queue1 VALUES ('second')");
    expect(await settledWithin(waiting, 150)).toBe(pending);
    const read = await settledWithin(t.client().execute("SELECT count(*) AS n FROM queue1"), 1000);
    if (read === pending) throw new Error("a reader waited for the writer");
    expect(read.rows[0]!.n).toBe(0); // the snapshot before the commit

    await tx.commit();
    await waiting;
    expect((await c.execute("SELECT v FROM queue1 ORDER BY rowid")).rows.map((r) => r.v)).toEqual(["first", "second"]);
  });

  it("a batch that reads before it writes waits for the lock up front, so its snapshot stays valid", async () => {
    const c = t.client();
    await c.execute("CREATE TABLE snapshot_batch (v INTEGER)");
    const tx = await c.transaction("write");
    await tx.execute("INSERT INTO snapshot_batch VALUES (1)");
    // BEGIN DEFERRED; SELECT; INSERT: had the SELECT run before the lock was ours, the INSERT
    // would fail with SQLITE_BUSY_SNAPSHOT once the transaction above commits.
    const batch = t.client().batch(["SELECT count(*) FROM snapshot_batch", "INSERT INTO snapshot_batch VALUES (2)"], "deferred");
    expect(await settledWithin(batch, 100)).toBe(pending);
    await tx.commit();
    await batch;
    expect((await c.execute("SELECT v FROM snapshot_batch ORDER BY v")).rows.map((r) => r.v)).toEqual([1, 2]);
  });

  it("a writer gives up with SQLITE_BUSY after the lock timeout", async () => {
    const short = await startTestServer({ lockTimeoutMs: 200 });
    try {
      const c = short.client();
      await c.execute("CREATE TABLE q (v INTEGER)");
      const tx = await c.transaction("write");
      await tx.execute("INSERT INTO q VALUES (1)");
      const started = Date.now();
      await expect(short.client().execute("INSERT INTO q VALUES (2)")).rejects.toMatchObject({ code: "SQLITE_BUSY" });
      expect(Date.now() - started).toBeGreaterThanOrEqual(180);
      await tx.commit();
      expect((await c.execute("SELECT v FROM q")).rows.map((r) => r.v)).toEqual([1]);
    } finally {
      await short.stop();
    }
  });

  it("a deferred transaction that read an old snapshot cannot then write (SQLITE_BUSY, as in SQLite)", async () => {
    const c = t.client();
    await c.execute("CREATE TABLE snap (v INTEGER)");
    const tx = await c.transaction("deferred");
    await tx.execute("SELECT count(*) FROM snap");
    await t.client().execute("INSERT INTO snap VALUES (1)");
    await expect(tx.execute("INSERT INTO snap VALUES (2)")).rejects.toMatchObject({ code: "SQLITE_BUSY" });
    await tx.rollback();
    // The failed writer released the lock: others still write.
    await t.client().execute("INSERT INTO snap VALUES (3)");
    expect((await c.execute("SELECT v FROM snap ORDER BY v")).rows.map((r) => r.v)).toEqual([1, 3]);
  });

  it("waits out a write lock held by another process on the same file", async () => {
    await t.client().execute("CREATE TABLE ext (v TEXT)");
    const other = await lockFromAnotherProcess(t.file, "ext");
    const insert = t.client().execute("INSERT INTO ext VALUES ('server')");
    expect(await settledWithin(insert, 300)).toBe(pending);
    await other.release();
    await insert;
    expect((await t.client().execute("SELECT v FROM ext ORDER BY rowid")).rows.map((r) => r.v)).toEqual(["other process", "server"]);
  });

  it("after giving up on another process's lock, the stream's later writes still commit", async () => {
    const short = await startTestServer({ lockTimeoutMs: 150 });
    try {
      await short.client().execute("CREATE TABLE ext2 (v TEXT)");
      const other = await lockFromAnotherProcess(short.file, "ext2");
      const first = await short.pipeline({ baton: null, requests: [exec("INSERT INTO ext2 VALUES ('gave up')")] });
      expect(first.json.results[0].error.code).toBe("SQLITE_BUSY");
      await other.release();
      const second = await short.pipeline({ baton: first.json.baton, requests: [exec("INSERT INTO ext2 VALUES ('same stream')"), { type: "close" }] });
      expect(second.json.results[0].type).toBe("ok");
      const rs = await short.client().execute("SELECT v FROM ext2 ORDER BY rowid");
      expect(rs.rows.map((r) => r.v)).toEqual(["other process", "same stream"]);
    } finally {
      await short.stop();
    }
  });
});
