// Shapes of the OB 3.0 OpenBadgeCredential that Laurel issues (OB 3.0 §8, VC 2.0 §4).

/** Issuer as given by the caller; `id` is the issuer's did:web (OB 3.0 §B.1.20 Profile). */
export interface IssuerInput {
  id: string;
  name: string;
  url?: string;
  email?: string;
  /** URL of the issuer's logo: the Profile's `image` (OB 3.0 §B.1.20, an Image §B.1.16). */
  image?: string;
}

/** The members an achievement has both as input and embedded (OB 3.0 §B.1.1 Achievement); `id` is a URL. */
export interface AchievementFields {
  id: string;
  name: string;
  description: string;
  criteria: { narrative: string };
  image?: { id: string; type: "Image" };
}

/** Achievement as given by the caller (OB 3.0 §B.1.1 Achievement). */
export interface AchievementInput extends AchievementFields {
  tags?: string[];
}

/** Recipient: a display name and an email that is only ever stored hashed (OB 3.0 §B.1.12). */
export interface RecipientInput {
  name: string;
  email: string;
  /** Salt for the identity hash; random when omitted. */
  salt?: string;
  /** `credentialSubject.id`; a fresh `urn:uuid:` when omitted. */
  subjectId?: string;
}

/** Hashed recipient identifier (OB 3.0 §B.1.12 IdentityObject). */
export interface IdentityObject {
  type: "IdentityObject";
  identityHash: string;
  identityType: "emailAddress";
  hashed: true;
  salt: string;
}

/** The single status entry of a credential (Bitstring Status List v1.0 §2.1). */
export interface StatusEntry {
  id: string;
  type: "BitstringStatusListEntry";
  statusPurpose: string;
  statusListIndex: string;
  statusListCredential: string;
}

/** A schema the credential conforms to (VC 2.0 §5.4 credentialSchema; OB 3.0 §B.1 CredentialSchema). */
export interface CredentialSchemaRef {
  id: string;
  type: string;
}

/** Issuer profile embedded in the credential (OB 3.0 §B.1.20 Profile). */
export interface IssuerProfile {
  id: string;
  type: string[];
  name: string;
  url?: string;
  email?: string;
  image?: { id: string; type: "Image" };
}

/** Embedded achievement (OB 3.0 §B.1.1). */
export interface Achievement extends AchievementFields {
  type: string[];
  tag?: string[];
}

/** Credential subject (OB 3.0 §B.1.3 AchievementSubject) plus the recipient's display `name`. */
export interface AchievementSubject {
  id: string;
  type: string[];
  name: string;
  identifier: IdentityObject[];
  achievement: Achievement;
}

/** An OB 3.0 OpenBadgeCredential on the VC 2.0 data model (OB 3.0 §8.1). */
export interface OpenBadgeCredential {
  "@context": string[];
  id: string;
  type: string[];
  name: string;
  issuer: IssuerProfile;
  validFrom: string;
  validUntil?: string;
  credentialSubject: AchievementSubject;
  credentialStatus: StatusEntry;
  credentialSchema: CredentialSchemaRef[];
}
