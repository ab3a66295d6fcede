import { index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { members } from "./members.ts";
import { orgs } from "./orgs.ts";

/**
 * Console members' passkeys (WebAuthn credentials): the credential id and COSE public key the
 * authenticator made at registration, its signature counter, and a name the member chose.
 * Signing in with one is an alternative to the password (origin/services/passkeys).
 */
export const memberPasskeys = sqliteTable(
  "member_passkeys",
  {
    /** The WebAuthn credential id, base64url. */
    id: text("id").primaryKey(),
    memberId: text("member_id").notNull().references(() => members.id),
    orgId: text("org_id").notNull().references(() => orgs.id),
    name: text("name").notNull(),
    /** The COSE public key, base64url. */
    publicKey: text("public_key").notNull(),
    counter: integer("counter").notNull().default(0),
    /** Transports the authenticator reported (JSON array), handed back as hints at sign-in. */
    transports: text("transports", { mode: "json" }).$type<string[]>().notNull(),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
    lastUsedAt: integer("last_used_at", { mode: "timestamp_ms" }),
  },
  (t) => [index("member_passkeys_member_idx").on(t.memberId)],
);

/**
 * Outstanding WebAuthn challenges: single use (deleted when answered) and short-lived. A
 * registration challenge belongs to the member who asked; a sign-in challenge to the browser that
 * asked (the SHA-256 of its pre-session CSRF cookie).
 */
export const webauthnChallenges = sqliteTable(
  "webauthn_challenges",
  {
    /** The challenge, base64url (as it comes back in clientDataJSON). */
    challenge: text("challenge").primaryKey(),
    purpose: text("purpose", { enum: ["register", "sign-in"] }).notNull(),
    /** register: the member; sign-in: null. */
    memberId: text("member_id"),
    /** sign-in: SHA-256 (hex) of the asking browser's pre-session CSRF value; register: null. */
    browserHash: text("browser_hash"),
    expiresAt: integer("expires_at", { mode: "timestamp_ms" }).notNull(),
  },
  (t) => [index("webauthn_challenges_expires_idx").on(t.expiresAt)],
);
