// Public identifiers the edge accepts in URLs (anything else is answered 404 without a lookup) and
// the origin accepts from the edge's RPC calls.

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const SLUG = /^[a-z0-9][a-z0-9-]{0,62}$/i;
const LIST_ID = /^[A-Za-z0-9][A-Za-z0-9_-]{0,127}$/;

/** Whether `value` is a UUID (any version, either case). */
export function isUuid(value: unknown): value is string {
  return typeof value === "string" && UUID.test(value);
}

/** The lower-cased credential UUID, or null when `raw` is not a UUID. */
export function credentialIdFrom(raw: string | undefined): string | null {
  return raw && UUID.test(raw) ? raw.toLowerCase() : null;
}

/** The issuer slug, or null when malformed (same alphabet as did:web issuer slugs). */
export function issuerSlugFrom(raw: string | undefined): string | null {
  return raw && SLUG.test(raw) ? raw.toLowerCase() : null;
}

/** The status list id, or null when malformed. */
export function statusListIdFrom(raw: string | undefined): string | null {
  return raw && LIST_ID.test(raw) ? raw : null;
}
