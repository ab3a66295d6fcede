import { sql } from "drizzle-orm";
import { index, integer, primaryKey, sqliteTable, text } from "drizzle-orm/sqlite-core";

/**
 * The recipient index: per credential, a keyed hash of the recipient's normalised email
 * (services/recipients/email-hash.ts), so the wallet finds every credential of one address across
 * orgs without comparing addresses in clear. Written in the issuance transaction. `hidden`: the
 * recipient hid it from their wallet list.
 */
export const recipientCredentials = sqliteTable(
  "recipient_credentials",
  {
    credentialId: text("credential_id").primaryKey(),
    emailHash: text("email_hash").notNull(),
    hidden: integer("hidden", { mode: "boolean" }).notNull().default(false),
  },
  (t) => [index("recipient_credentials_email_idx").on(t.emailHash)],
);

/** A recipient's choices, by email hash. No row: the defaults (name shown). */
export const recipientPreferences = sqliteTable("recipient_preferences", {
  emailHash: text("email_hash").primaryKey(),
  /** Credential pages show "name withheld" instead of the recipient's name (the signed JWT keeps it). */
  hideName: integer("hide_name", { mode: "boolean" }).notNull().default(false),
  /** When hideName last changed: part of the credential projection's version, so the edge takes the change. */
  updatedAt: integer("updated_at", { mode: "timestamp_ms" }).notNull().default(sql`(unixepoch('subsec') * 1000)`),
});

/** A recipient's opt-out (List-Unsubscribe) from one org's notification emails. */
export const recipientOptOuts = sqliteTable(
  "recipient_opt_outs",
  {
    emailHash: text("email_hash").notNull(),
    orgId: text("org_id").notNull(),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull().default(sql`(unixepoch('subsec') * 1000)`),
  },
  (t) => [primaryKey({ columns: [t.emailHash, t.orgId] })],
);

/**
 * One-time wallet sign-in links. Only the token's SHA-256 is stored; the link is bound to the email
 * hash it was made for. `clientHash` (a keyed hash of the requesting client's address, requested
 * links only) and `createdAt` are what the sign-in form's rate limits count.
 */
export const walletSignInTokens = sqliteTable(
  "wallet_sign_in_tokens",
  {
    tokenHash: text("token_hash").primaryKey(),
    emailHash: text("email_hash").notNull(),
    purpose: text("purpose", { enum: ["notification", "requested"] }).notNull(),
    clientHash: text("client_hash"),
    expiresAt: integer("expires_at").notNull(),
    usedAt: integer("used_at"),
    createdAt: integer("created_at").notNull(),
  },
  (t) => [index("wallet_tokens_email_idx").on(t.emailHash, t.createdAt), index("wallet_tokens_client_idx").on(t.clientHash, t.createdAt)],
);

/** Server-side wallet sessions: the cookie carries a random id, the row its SHA-256. */
export const walletSessions = sqliteTable("wallet_sessions", {
  sessionHash: text("session_hash").primaryKey(),
  emailHash: text("email_hash").notNull(),
  /** The CSRF token every wallet form carries. */
  csrfToken: text("csrf_token").notNull(),
  expiresAt: integer("expires_at").notNull(),
  createdAt: integer("created_at").notNull(),
});
