// drizzle-orm's `drizzle-orm/libsql/web` driver, the one the origin Worker uses, against the
// local server: schema, inserts with RETURNING, typed selects, a transaction and a batch.
import { eq, sql } from "drizzle-orm";
import { drizzle } from "drizzle-orm/libsql/web";
import { integer, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "./testing.ts";

const issuers = sqliteTable("issuers", {
  id: integer("id").primaryKey({ autoIncrement: true }),
  name: text("name").notNull().unique(),
  credentials: integer("credentials").notNull().default(0),
  createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
});

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer();
});
afterAll(async () => {
  await t.stop();
});

describe("drizzle-orm/libsql/web", () => {
  it("creates a table, inserts, selects, and runs a transaction and a batch", async () => {
    const db = drizzle({ client: t.client() });
    await db.run(sql`CREATE TABLE issuers (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      name TEXT NOT NULL UNIQUE,
      credentials INTEGER NOT NULL DEFAULT 0,
      created_at INTEGER NOT NULL
    )`);

    const createdAt = new Date("2026-11-20T10:00:00.000Z");
    const [acme] = await db.insert(issuers).values({ name: "Acme University", createdAt }).returning();
    expect(acme).toEqual({ id: 1, name: "Acme University", credentials: 0, createdAt });

    await db.transaction(async (tx) => {
      await tx.insert(issuers).values({ name: "Beta College", createdAt });
      await tx.update(issuers).set({ credentials: sql`${issuers.credentials} + 5` }).where(eq(issuers.name, "Acme University"));
    });
    await expect(
      db.transaction(async (tx) => {
        await tx.insert(issuers).values({ name: "Rolled Back", createdAt });
        await tx.insert(issuers).values({ name: "Acme University", createdAt }); // UNIQUE violation
      }),
    ).rejects.toThrow();

    const [count] = await db.batch([
      db.select({ n: sql<number>`count(*)` }).from(issuers),
      db.update(issuers).set({ credentials: 1 }).where(eq(issuers.name, "Beta College")),
    ]);
    expect(count).toEqual([{ n: 2 }]);

    const rows = await db.select().from(issuers).orderBy(issuers.id);
    expect(rows.map((r) => [r.name, r.credentials])).toEqual([
      ["Acme University", 5],
      ["Beta College", 1],
    ]);
    expect(rows[0]!.createdAt).toEqual(createdAt);
  });
});
