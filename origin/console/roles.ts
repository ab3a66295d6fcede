// What each console role may do: one table, checked by `requirePermission` on every console route.
import type { MemberRole } from "../db/schema/index.ts";

export const PERMISSIONS = {
  /** Every page that only reads (overview, credentials, achievements). */
  read: ["owner", "admin", "issuer", "viewer"],
  issue: ["owner", "admin", "issuer"],
  revoke: ["owner", "admin", "issuer"],
  /** Members and invitations, API keys, signing keys, the issuer profile, the audit log. */
  manage: ["owner", "admin"],
} as const satisfies Record<string, readonly MemberRole[]>;

export type Permission = keyof typeof PERMISSIONS;

export function may(role: MemberRole, permission: Permission): boolean {
  return (PERMISSIONS[permission] as readonly MemberRole[]).includes(role);
}
