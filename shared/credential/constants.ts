// Fixed vocabulary of the credential format (docs/api.md "Credential format").

/** VC 2.0 base context (VC Data Model 2.0 §4.3), always first. */
export const VC_V2_CONTEXT = "https://www.w3.org/ns/credentials/v2";

/** OB 3.0 JSON-LD context (OB 3.0 §B.1), always second. */
export const OB_V3_CONTEXT = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json";

/** OB 3.0 extensions context (OB 3.0 §B.1), always third: defines `1EdTechJsonSchemaValidator2019`. */
export const OB_EXTENSIONS_CONTEXT = "https://purl.imsglobal.org/spec/ob/v3p0/extensions.json";

/** The contexts of every issued credential, in order (VC 2.0 §4.3: the VC context first). */
export const CREDENTIAL_CONTEXTS = [VC_V2_CONTEXT, OB_V3_CONTEXT, OB_EXTENSIONS_CONTEXT] as const;

/** The 1EdTech OB 3.0 AchievementCredential JSON Schema (OB 3.0 §D, credentialSchema `id`). */
export const OB_ACHIEVEMENT_CREDENTIAL_SCHEMA = "https://purl.imsglobal.org/spec/ob/v3p0/schema/json/ob_v3p0_achievementcredential_schema.json";

/** The credentialSchema type for 1EdTech JSON Schemas (VC 2.0 §5.4; defined by the extensions context). */
export const JSON_SCHEMA_VALIDATOR_TYPE = "1EdTechJsonSchemaValidator2019";

/** Pattern the 1EdTech schema accepts for the OB context entry (OB 3.0 JSON Schema, `@context[1]`). */
export const OB_CONTEXT_PATTERN = /^https:\/\/purl\.imsglobal\.org\/spec\/ob\/v3p0\/context(-3\.\d\.\d)*\.json$/;

/** Credential types of an Open Badge (OB 3.0 §8.1 AchievementCredential). */
export const OPEN_BADGE_TYPES = ["VerifiableCredential", "OpenBadgeCredential"] as const;

/** The only status purpose Laurel issues (Bitstring Status List v1.0 §2.1). */
export const REVOCATION_PURPOSE = "revocation";

/** Status entry type (Bitstring Status List v1.0 §2.1). */
export const STATUS_ENTRY_TYPE = "BitstringStatusListEntry";
