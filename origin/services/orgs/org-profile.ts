// The issuer's profile as credentials and the issuer's published DID document show it: its name
// and homepage URL. One schema for both ways of setting them (POST /v1/orgs at creation, the
// console's Issuer profile page afterwards), so both accept the same values.
import { z } from "@hono/zod-openapi";
import { eq } from "drizzle-orm";
import type { Database } from "../../db/client.ts";
import { orgs } from "../../db/schema/index.ts";
import { HttpsUrl } from "../../routes/schemas.ts";

export const ORG_NAME_MAX = 200;

/** The issuer's name: 1 to 200 characters once trimmed. */
export const OrgName = z.string().trim().min(1).max(ORG_NAME_MAX);

/** A profile update: the name, and the URL or null to have none. */
export const OrgProfileUpdate = z.object({ name: OrgName, url: HttpsUrl.nullable() });
export type OrgProfile = z.infer<typeof OrgProfileUpdate>;

/** The statement setting the org's name and URL (to run in one batch with its audit entry). */
export function updateOrgProfileStatement(db: Database, orgId: string, profile: OrgProfile) {
  return db.update(orgs).set({ name: profile.name, url: profile.url }).where(eq(orgs.id, orgId));
}
