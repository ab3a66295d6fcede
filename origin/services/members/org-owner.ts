// The owner named in `POST /v1/orgs` (`owner: {email, name}`): the org's first console member,
// who sets a password through the one-time `ownerSetupUrl`.
import { z } from "@hono/zod-openapi";
import { AppError } from "../../../shared/http/problem.ts";
import type { Database } from "../../db/client.ts";
import { originSetting, type OriginEnv } from "../../env.ts";
import { RecipientEmail, RecipientName } from "../issuance/recipient.ts";
import { recordAudit } from "../audit/audit-log.ts";
import { addPendingMember, emailHasAccount, setupUrl } from "./members.ts";

export const OrgOwner = z
  .object({ email: RecipientEmail, name: RecipientName })
  .openapi("OrgOwner", { description: "The org's first console member (role owner)." });

/** 409 MEMBER_EXISTS before the org is made, so a taken email does not leave an org behind. */
export async function ensureOwnerEmailFree(db: Database, owner: { email: string }): Promise<void> {
  if (await emailHasAccount(db, owner.email)) {
    throw new AppError(409, "MEMBER_EXISTS", `${owner.email} already has a console account.`, {
      errors: [{ field: "owner.email", rule: "unique", detail: "already has a console account (one account per email address)" }],
    });
  }
}

/** Adds the owner (no password yet) and returns their one-time setup link. */
export async function addOrgOwner(
  db: Database,
  env: Pick<OriginEnv, "ORIGIN_BASE_URL">,
  orgId: string,
  owner: { email: string; name: string },
): Promise<string> {
  const { member, token } = await addPendingMember(db, { orgId, email: owner.email, name: owner.name, role: "owner" });
  await recordAudit(db, { orgId, memberId: null, actor: "operator", action: "member.invite", target: member.email, detail: { role: "owner" } });
  return setupUrl(originSetting(env, "ORIGIN_BASE_URL"), token);
}
