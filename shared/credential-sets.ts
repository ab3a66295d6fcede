// Credential sets: how batch-issued credentials are published to KV. Each batch slice (up to a
// few hundred credentials signed together) is one KV value, `credset:<setId>`, instead of one
// value per credential. A set's id is the start of every member's id, so the edge finds the value
// from the credential id alone (no index to write). KV writes per credential are what bounds
// publication locally (each one ~1 ms of the consumer's thread in wrangler dev) and in production
// each write is billed, so a 10,000-credential batch costs 80 writes instead of 10,000.
//
// Member ids are RFC 9562 UUIDs, version 8 (custom): `xxxxxxxx-xxxx-8xxx` is the set id (60
// random bits shared by the set) and the rest `-yxxx-xxxxxxxxxxxx` is random per credential (62
// bits, with the RFC variant): knowing one member's id does not tell another's. Credentials
// issued one by one keep random version 4 ids and their own `cred:<id>` value.

/** Length of a set id: the first three groups of a member's UUID. */
const SET_ID_LENGTH = 18;

/** A new set id (60 random bits, version nibble 8). */
export function newCredentialSetId(): string {
  const u = crypto.randomUUID();
  return `${u.slice(0, 14)}8${u.slice(15, SET_ID_LENGTH)}`;
}

/** A new credential id in the set: the set id, then 62 random bits and the RFC 9562 variant. */
export function newCredentialIdInSet(setId: string): string {
  return setId + crypto.randomUUID().slice(SET_ID_LENGTH);
}

/** The set a (lower-case, validated) credential id belongs to, or null for ids issued one by one. */
export function credentialSetIdOf(id: string): string | null {
  return id.length === 36 && id[14] === "8" ? id.slice(0, SET_ID_LENGTH) : null;
}
