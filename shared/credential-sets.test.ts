import { describe, expect, it } from "vitest";
import { credentialSetIdOf, newCredentialIdInSet, newCredentialSetId } from "./credential-sets.ts";

// RFC 9562: version 8 in the 13th hex digit, variant 10xx in the 17th.
const UUID_V8 = /^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe("credential sets", () => {
  it("member ids are RFC 9562 version 8 UUIDs that start with their set id and lead back to it", () => {
    const setId = newCredentialSetId();
    const members = Array.from({ length: 1000 }, () => newCredentialIdInSet(setId));
    for (const id of members) {
      expect(id).toMatch(UUID_V8);
      expect(id.startsWith(`${setId}-`)).toBe(true);
      expect(credentialSetIdOf(id)).toBe(setId);
    }
    expect(new Set(members).size).toBe(1000);
  });

  it("set ids are random; ids issued one by one (version 4) belong to no set", () => {
    const setIds = new Set(Array.from({ length: 1000 }, newCredentialSetId));
    expect(setIds.size).toBe(1000);
    for (let i = 0; i < 100; i++) expect(credentialSetIdOf(crypto.randomUUID())).toBeNull();
    expect(credentialSetIdOf("not-a-uuid")).toBeNull();
  });

  it("a member's id sorts between `<setId>-` and `<setId>.`, the range the origin reads a set by", () => {
    const setId = newCredentialSetId();
    const id = newCredentialIdInSet(setId);
    expect(id > `${setId}-` && id < `${setId}.`).toBe(true);
    const other = newCredentialIdInSet(newCredentialSetId());
    expect(other > `${setId}-` && other < `${setId}.`).toBe(false);
  });
});
