import { sql } from "drizzle-orm";
import { index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { orgs } from "./orgs.ts";

/** Console roles, strongest first (origin/console/roles.ts says what each may do). */
export const MEMBER_ROLES = ["owner", "admin", "issuer", "viewer"] as const;
export type MemberRole = (typeof MEMBER_ROLES)[number];

/**
 * People who sign in to the issuer console (API keys stay for machines). One console account per
 * email address across all orgs (sign-in asks only email and password). A member without a
 * password has not yet used their one-time setup or invitation link.
 */
export const members = sqliteTable(
  "members",
  {
    id: text("id").primaryKey(),
    orgId: text("org_id").notNull().references(() => orgs.id),
    /** Lower-cased. */
    email: text("email").notNull().unique(),
    name: text("name").notNull(),
    role: text("role", { enum: MEMBER_ROLES }).notNull(),
    /** `pbkdf2-sha256$<iterations>$<salt>$<hash>` (origin/services/members/password.ts); NULL until set. */
    passwordHash: text("password_hash"),
    /** SHA-256 (hex) of the pending one-time setup or invitation token; NULL once used. */
    setupTokenHash: text("setup_token_hash").unique(),
    setupExpiresAt: integer("setup_expires_at", { mode: "timestamp_ms" }),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull().default(sql`(unixepoch('subsec') * 1000)`),
    /** Set when an admin removes the member: every session ends and sign-in is refused. */
    removedAt: integer("removed_at", { mode: "timestamp_ms" }),
    /**
     * Set while the account is one of the deployment's operators (opens /ops, every org's figures).
     * Granted and withdrawn only with the admin token (origin/routes/operators.ts), never by an org.
     */
    operatorSince: integer("operator_since", { mode: "timestamp_ms" }),
  },
  (t) => [index("members_org_idx").on(t.orgId)],
);

/**
 * Console sessions. The browser holds a random 256-bit id in a cookie; only its SHA-256 is stored,
 * so a copy of the database cannot be replayed as a session. Ends after inactivity
 * (origin/services/sessions/sessions.ts), at sign-out, or when every session of the member is revoked.
 */
export const consoleSessions = sqliteTable(
  "console_sessions",
  {
    idHash: text("id_hash").primaryKey(),
    memberId: text("member_id").notNull().references(() => members.id),
    orgId: text("org_id").notNull().references(() => orgs.id),
    /** The CSRF token every state-changing form of this session carries. */
    csrfToken: text("csrf_token").notNull(),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
    lastSeenAt: integer("last_seen_at", { mode: "timestamp_ms" }).notNull(),
  },
  (t) => [index("console_sessions_member_idx").on(t.memberId)],
);

/**
 * Failed sign-ins, per account (`account:<email>`) and per client (`client:<ip>`), in a fixed
 * window; past the limit the key is locked until `lockedUntil`.
 */
export const loginThrottle = sqliteTable("login_throttle", {
  key: text("key").primaryKey(),
  failures: integer("failures").notNull(),
  windowStart: integer("window_start", { mode: "timestamp_ms" }).notNull(),
  lockedUntil: integer("locked_until", { mode: "timestamp_ms" }),
});
