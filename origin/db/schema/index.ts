// The origin database schema, one file per entity. `npm run db:generate` turns changes into
// SQL migrations in /migrations.
export * from "./achievements.ts";
export * from "./api-keys.ts";
export * from "./batches.ts";
export * from "./credential-publications.ts";
export * from "./credentials.ts";
export * from "./dead-letters.ts";
export * from "./idempotency-keys.ts";
export * from "./orgs.ts";
export * from "./scan-counts.ts";
export * from "./signing-keys.ts";
export * from "./status-lists.ts";
export * from "./analytics.ts";
export * from "./webhooks.ts";
export * from "./integrations.ts";
export * from "./notifications.ts";
export * from "./recipients.ts";
export * from "./members.ts";
export * from "./audit-log.ts";
export * from "./passkeys.ts";
export * from "./issuer-profile.ts";
export * from "./certificate-templates.ts";
export * from "./backfills.ts";
export * from "./credential-proofs.ts";
