// The edge's view of a credential (shared/kv-keys.ts CredentialProjection), read from the database.
import { and, eq, gte, inArray, lt, type SQL } from "drizzle-orm";
import type { CredentialProjection } from "../../../shared/kv-keys.ts";
import type { Database } from "../../db/client.ts";
import { achievements, credentials, orgs, recipientCredentials, recipientPreferences } from "../../db/schema/index.ts";
import type { OriginEnv } from "../../env.ts";
import { didForSlug } from "./public-url.ts";

const columns = {
  id: credentials.id,
  jwt: credentials.jwt,
  status: credentials.status,
  revocationReason: credentials.revocationReason,
  revokedAt: credentials.revokedAt,
  recipientName: credentials.recipientName,
  validFrom: credentials.validFrom,
  validUntil: credentials.validUntil,
  statusListId: credentials.statusListId,
  statusIndex: credentials.statusIndex,
  issuedAt: credentials.issuedAt,
  resignedAt: credentials.resignedAt,
  orgSlug: orgs.slug,
  orgName: orgs.name,
  orgUrl: orgs.url,
  achievementId: achievements.id,
  achievementName: achievements.name,
  achievementDescription: achievements.description,
  achievementCriteria: achievements.criteriaNarrative,
  achievementImageUrl: achievements.imageUrl,
  // The recipient's wallet choice (services/recipients): show their name on public pages or not.
  hideName: recipientPreferences.hideName,
  namePrefAt: recipientPreferences.updatedAt,
};

/** What public pages show instead of the name of a recipient who chose to hide it (the signed JWT keeps the name). */
export const HIDDEN_RECIPIENT_NAME = "Name withheld by the recipient";

function queryRows(db: Database, where: SQL | undefined) {
  return db
    .select(columns)
    .from(credentials)
    .innerJoin(orgs, eq(orgs.id, credentials.orgId))
    .innerJoin(achievements, eq(achievements.id, credentials.achievementId))
    .leftJoin(recipientCredentials, eq(recipientCredentials.credentialId, credentials.id))
    .leftJoin(recipientPreferences, eq(recipientPreferences.emailHash, recipientCredentials.emailHash))
    .where(where);
}
type QueriedRow = Awaited<ReturnType<typeof queryRows>>[number];
/**
 * The database columns a projection is made of (one row of `queryRows`). Batch issuance projects
 * the rows it has just inserted from memory, with the recipients' name choices read apart
 * (services/recipients/name-choices.ts).
 */
export type ProjectionRow = Omit<QueriedRow, "hideName" | "namePrefAt"> & { hideName?: boolean | null; namePrefAt?: Date | null };

/**
 * Projections of the given credentials (missing ids are left out). The version is derived from the
 * state it shows (issue time, re-signing time, then revocation time), so the same state always has
 * the same version and a later state a higher one: re-publishing is idempotent and an older write
 * can be refused.
 */
export async function loadCredentialProjections(db: Database, env: Pick<OriginEnv, "PUBLIC_BASE_URL">, ids: string[]) {
  if (ids.length === 0) return new Map<string, CredentialProjection>();
  const rows = await queryRows(db, ids.length === 1 ? eq(credentials.id, ids[0]!) : inArray(credentials.id, ids));
  return new Map(rows.map((row) => [row.id, projectionOf(env, row)]));
}

/**
 * Projections of every credential of a set (shared/credential-sets.ts): the members' ids are
 * `<setId>-…`, i.e. the primary-key range from `<setId>-` up to `<setId>.` ('.' follows '-').
 */
export async function loadCredentialSet(db: Database, env: Pick<OriginEnv, "PUBLIC_BASE_URL">, setId: string): Promise<CredentialProjection[]> {
  const rows = await queryRows(db, and(gte(credentials.id, `${setId}-`), lt(credentials.id, `${setId}.`)));
  return rows.map((row) => projectionOf(env, row));
}

/**
 * The projection of one row. Batch issuance calls it with the rows it has just inserted (no read
 * back), so it must stay the only place that maps columns to a projection: same state, same value.
 */
export function projectionOf(env: Pick<OriginEnv, "PUBLIC_BASE_URL">, row: ProjectionRow): CredentialProjection {
  const { issuedAt, revokedAt, resignedAt } = row;
  // Re-signed (its signing key was revoked): a new JWT, so a new version (the edge's ETags and
  // immutable badge URLs carry it).
  const signedVersion = resignedAt ? Math.max(resignedAt.getTime(), issuedAt.getTime() + 1) : issuedAt.getTime();
  const projection: CredentialProjection = {
    id: row.id,
    jwt: row.jwt,
    orgSlug: row.orgSlug,
    issuer: { id: didForSlug(env, row.orgSlug), name: row.orgName },
    achievement: {
      id: row.achievementId,
      name: row.achievementName,
      description: row.achievementDescription,
      criteria: row.achievementCriteria,
    },
    recipientName: row.recipientName,
    validFrom: row.validFrom,
    statusListId: row.statusListId,
    statusIndex: row.statusIndex,
    issuedAt: issuedAt.toISOString(),
    version: signedVersion,
  };
  if (row.orgUrl) projection.issuer.url = row.orgUrl;
  if (row.achievementImageUrl) projection.achievement.imageUrl = row.achievementImageUrl;
  if (row.validUntil) projection.validUntil = row.validUntil;
  if (row.status === "revoked") {
    const at = revokedAt ?? issuedAt;
    projection.revocation = { reason: row.revocationReason ?? "", revokedAt: at.toISOString() };
    projection.version = Math.max(at.getTime(), signedVersion + 1);
  }
  if (row.hideName) projection.recipientName = HIDDEN_RECIPIENT_NAME;
  // A change of the name choice is a new state: its time moves the version (never back).
  if (row.namePrefAt) projection.version = Math.max(projection.version, row.namePrefAt.getTime());
  return projection;
}
