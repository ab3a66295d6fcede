import { sql } from "drizzle-orm";
import { index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { orgs } from "./orgs.ts";

/** What an API key may do (origin/auth/scopes.ts says which routes need which). */
export const API_KEY_SCOPES = ["read", "issue", "revoke", "manage"] as const;
export type ApiKeyScope = (typeof API_KEY_SCOPES)[number];

/**
 * API keys: shown once at creation, stored only as a SHA-256 hash (the key is 256 random bits).
 * Deleting a key sets `revokedAt` (the row stays, so the list shows when it was deleted).
 */
export const apiKeys = sqliteTable(
  "api_keys",
  {
    id: text("id").primaryKey(),
    orgId: text("org_id").notNull().references(() => orgs.id),
    /** First characters of the key, for recognising it in lists and logs. */
    prefix: text("prefix").notNull(),
    hash: text("hash").notNull().unique(),
    /** The client's label for the key ("CI", "LMS sync"); keys made before names existed have "". */
    name: text("name").notNull().default(""),
    /**
     * JSON array of scopes. The default (all four) exists for the rows that predate scopes, which
     * the migration gives every scope; new keys always name theirs.
     */
    scopes: text("scopes", { mode: "json" })
      .$type<ApiKeyScope[]>()
      .notNull()
      .default(sql`'["read","issue","revoke","manage"]'`),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull().default(sql`(unixepoch('subsec') * 1000)`),
    revokedAt: integer("revoked_at", { mode: "timestamp_ms" }),
    /** When the key last authenticated a request, to the minute (written at most once a minute). */
    lastUsedAt: integer("last_used_at", { mode: "timestamp_ms" }),
  },
  (t) => [index("api_keys_org_idx").on(t.orgId)],
);
