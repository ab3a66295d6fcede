// How an org's achievement and a recipient become an OB 3.0 credential (pure: no database), so the
// exact issuance mapping can also be checked against the 1EdTech JSON Schema in Node.
import { buildCredential, type OpenBadgeCredential } from "../../../shared/credential/index.ts";
import type { OrgRecord } from "../orgs/org-record.ts";
import { issuerDid } from "../../../shared/keys/did-web.ts";
import { statusListUrl } from "../../../shared/public-urls.ts";

/** The achievement columns the credential uses. */
export interface AchievementFields {
  id: string;
  name: string;
  description: string;
  criteriaNarrative: string;
  imageUrl: string | null;
  tags: string[];
}

/** Everything one credential needs; `id` is the credential's UUID. */
export interface OrgCredentialInput {
  base: string;
  org: OrgRecord;
  achievement: AchievementFields;
  recipient: { name: string; email: string };
  /** URL of the org's current logo (services/issuer-profile), the issuer Profile's `image`; absent: none. */
  issuerImage?: string;
  id: string;
  slot: { statusListId: string; statusIndex: number };
  validFrom: string;
  validUntil?: string;
}

/**
 * The OpenBadgeCredential for one recipient: issuer = the org's did:web Profile, achievement id
 * `urn:uuid:<achievement id>`, status entry pointing at `<base>/status/<list id>`.
 */
export function buildOrgCredential(input: OrgCredentialInput): Promise<OpenBadgeCredential> {
  const { org, achievement: a } = input;
  return buildCredential({
    id: input.id,
    issuer: { id: issuerDid(input.base, org.slug), name: org.name, ...(org.url ? { url: org.url } : {}), ...(input.issuerImage ? { image: input.issuerImage } : {}) },
    achievement: {
      id: `urn:uuid:${a.id}`,
      name: a.name,
      description: a.description,
      criteria: { narrative: a.criteriaNarrative },
      ...(a.imageUrl ? { image: { id: a.imageUrl, type: "Image" as const } } : {}),
      ...(a.tags.length > 0 ? { tags: a.tags } : {}),
    },
    recipient: input.recipient,
    status: { statusListCredential: statusListUrl(input.base, input.slot.statusListId), statusListIndex: input.slot.statusIndex },
    validFrom: input.validFrom,
    validUntil: input.validUntil,
  });
}
