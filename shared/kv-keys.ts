// The edge's read model: every KV key family the origin writes and the edge reads, with the
// shape of its value. docs/storage-schema.md describes the same families for operators.

/** What the edge needs to show and verify one credential. Written on issue and on revoke. */
export interface CredentialProjection {
  id: string; // the UUID (API id); the credential's JSON id is `urn:uuid:<id>`
  jwt: string; // the compact VC-JWT as issued
  orgSlug: string;
  issuer: { id: string; name: string; url?: string };
  achievement: { id: string; name: string; description: string; criteria: string; imageUrl?: string };
  recipientName: string;
  validFrom: string;
  validUntil?: string;
  statusListId: string;
  statusIndex: number;
  issuedAt: string;
  /** Present once revoked: the issuer's reason as stored at the origin. */
  revocation?: { reason: string; revokedAt: string };
  /** Derived from the state shown (issue time in ms, later the revocation time), so a rewrite of the same state keeps it; a newer one in KV is never overwritten; the edge uses it in ETags. */
  version: number;
}

/** The credentials of one set (shared/credential-sets.ts), as one KV value. Written on batch issuance. */
export interface CredentialSetProjection {
  setId: string;
  credentials: CredentialProjection[];
}

/** An issuer's public documents: every key it ever signed with. Written on org creation and key rotation. */
export interface IssuerProjection {
  slug: string;
  did: string;
  name: string;
  url?: string;
  didDocument: Record<string, unknown>;
  jwks: { keys: Record<string, unknown>[] };
  /**
   * Keys the issuer revoked (full kid `<did>#<key id>`): absent from the DID document and JWKS, listed
   * here so verifiers can say "signing key revoked" rather than "unknown key". Absent when none.
   */
  revokedKeys?: { kid: string; revokedAt: string }[];
  version: number;
}

/** A status list credential as last signed. Written on list creation and on every revocation. */
export interface StatusListProjection {
  id: string;
  orgSlug: string;
  issuerDid: string;
  jwt: string; // BitstringStatusListCredential as VC-JWT
  /**
   * The same list as JSON-LD with a Data Integrity proof (eddsa-rdfc-2022), as JSON text, served as
   * is for JSON `Accept` headers at the same URL. Absent on lists published before Data Integrity,
   * or when the proof failed (the edge then serves the VC-JWT).
   */
  dataIntegrity?: string;
  /** Revocation reasons by status index, so the edge can show the issuer's reason. */
  reasons?: Record<string, string>;
  version: number;
  updatedAt: string;
}

/** KV metadata of `certificatePdf`: the credential state the PDF shows. */
export interface CertificateMetadata {
  /** The CredentialProjection version it was drawn from. */
  version: number;
  /** Whether it carries the "REVOKED" mark. */
  revoked: boolean;
}

/** KV key names, one function per family. */
export const kvKeys = {
  /** JSON CredentialProjection. No TTL. */
  credential: (id: string) => `cred:${id}`,
  /**
   * JSON CredentialSetProjection: every credential of a set (batch issuance) as issued. No TTL.
   * The edge looks a set member up here first, then under `credential`. A set is not rewritten on
   * revocation: the edge takes revocation and its reason from the status list.
   */
  credentialSet: (setId: string) => `credset:${setId}`,
  /**
   * PNG bytes: the badge image with the VC-JWT baked in (iTXt `openbadgecredential`). No TTL.
   * Written only when a credential is republished (revocation, read-through refill); for any
   * credential without it the edge bakes the JWT into `achievementBadgePng` on request (OB 3.0
   * §5.3.1 baking is a byte copy, same bytes).
   */
  badgePng: (id: string) => `cred:${id}:badge.png`,
  /** PNG bytes: an achievement's badge image, nothing baked in (the base every badge is baked from). No TTL. */
  achievementBadgePng: (achievementId: string) => `achievement:${achievementId}:badge.png`,
  /** PNG bytes: the 1200×627 social card. No TTL. */
  cardPng: (id: string) => `cred:${id}:card.png`,
  /**
   * PDF bytes: the printable certificate with the VC-JWT embedded as `credential.jwt`. KV metadata
   * CertificateMetadata says which state it shows. No TTL. Written by the origin after publication
   * and on the edge's request when missing or out of date (origin/services/certificates).
   */
  certificatePdf: (id: string) => `cred:${id}:certificate.pdf`,
  /** JSON IssuerProjection. No TTL. */
  issuer: (slug: string) => `issuer:${slug}`,
  /** JSON StatusListProjection. No TTL. */
  statusList: (listId: string) => `status:${listId}`,
  /**
   * JSON CredentialProofProjection: the credential's Data Integrity proof, added by the publication
   * consumers after issuance (origin/services/publication/data-integrity.ts). No TTL. The edge serves
   * `/c/:id.json` with it once it is there, without it until then.
   */
  credentialProof: (id: string) => `cred:${id}:proof`,
} as const;

/**
 * A credential's Data Integrity proof (eddsa-rdfc-2022): the secured credential is the VC-JWT's
 * credential content (`/c/:id.json` without a proof) plus this `proof`.
 */
export interface CredentialProofProjection {
  proof: Record<string, unknown>;
}
