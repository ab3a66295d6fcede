import { defineConfig } from "drizzle-kit";

// `npm run db:generate` writes SQL migrations for schema changes; `npm run db:migrate` applies them.
export default defineConfig({
  dialect: "turso",
  schema: "./origin/db/schema/index.ts",
  out: "./migrations",
  dbCredentials: { url: process.env.LIBSQL_URL ?? "file:.data/laurel.db", authToken: process.env.LIBSQL_AUTH_TOKEN },
});
