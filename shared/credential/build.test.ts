import Ajv2019 from "ajv/dist/2019.js";
import addFormats from "ajv-formats";
import { describe, expect, it } from "vitest";
import schema from "./schema/ob_v3p0_achievementcredential_schema.json" with { type: "json" };
import { buildCredential, buildStatusEntry } from "./build.ts";
import { emailMatches, hashIdentity } from "./identity-hash.ts";
import { checkCredentialShape } from "./shape.ts";
import { credentialInput, makeIssuer } from "../testing/fixtures.ts";

const ajv = new Ajv2019({ strict: false, allErrors: true });
addFormats(ajv);
const validate = ajv.compile(schema);

describe("buildCredential", () => {
  it("produces an OpenBadgeCredential that validates against the 1EdTech OB 3.0 schema", async () => {
    const issuer = await makeIssuer();
    const vc = await buildCredential(credentialInput(issuer, { validUntil: "2030-01-01T00:00:00Z" }));
    const ok = validate(vc);
    expect(validate.errors ?? []).toEqual([]);
    expect(ok).toBe(true);
  });

  it("fixes contexts, types, ids, dates and the single revocation entry", async () => {
    const issuer = await makeIssuer();
    const id = "6f1d0c52-8a2a-4c1b-9a44-1e2f3a4b5c6d";
    const vc = await buildCredential(
      credentialInput(issuer, { id, validFrom: "2026-01-02T03:04:05.678Z", validUntil: "2027-01-02T03:04:05Z" }),
    );
    expect(vc["@context"]).toEqual([
      "https://www.w3.org/ns/credentials/v2",
      "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
      "https://purl.imsglobal.org/spec/ob/v3p0/extensions.json",
    ]);
    expect(vc.credentialSchema).toEqual([
      {
        id: "https://purl.imsglobal.org/spec/ob/v3p0/schema/json/ob_v3p0_achievementcredential_schema.json",
        type: "1EdTechJsonSchemaValidator2019",
      },
    ]);
    expect(vc.type).toEqual(["VerifiableCredential", "OpenBadgeCredential"]);
    expect(vc.id).toBe(`urn:uuid:${id}`);
    expect(vc.issuer).toEqual({ id: issuer.did, type: ["Profile"], name: issuer.name, url: "https://acme.example.edu" });
    expect(vc.validFrom).toBe("2026-01-02T03:04:05Z");
    expect(vc.validUntil).toBe("2027-01-02T03:04:05Z");
    expect(vc.credentialSubject.id).toMatch(/^urn:uuid:[0-9a-f-]{36}$/);
    expect(vc.credentialSubject.name).toBe("Ada Lovelace");
    expect(vc.credentialSubject.achievement.tag).toEqual(["crypto", "security"]);
    expect(vc.credentialStatus).toEqual({
      id: "https://badges.example.org/status/list-1#42",
      type: "BitstringStatusListEntry",
      statusPurpose: "revocation",
      statusListIndex: "42",
      statusListCredential: "https://badges.example.org/status/list-1",
    });
    expect(checkCredentialShape(vc)).toBeNull();
  });

  it("stores the recipient email only as a salted sha256 IdentityObject", async () => {
    const issuer = await makeIssuer();
    const vc = await buildCredential(credentialInput(issuer, { recipient: { name: "Ada", email: " Ada@Example.com " } }));
    expect(JSON.stringify(vc).toLowerCase()).not.toContain("ada@example.com");
    const [identity] = vc.credentialSubject.identifier;
    expect(identity?.identityHash).toMatch(/^sha256\$[0-9a-f]{64}$/);
    expect(identity?.salt).toMatch(/^[0-9a-f]{32}$/);
    expect(await emailMatches("ada@example.com", identity!)).toBe(true);
    expect(await emailMatches("eve@example.com", identity!)).toBe(false);
  });

  it("hashes identities as OB 3.0's own IdentityHash example does", async () => {
    // OB 3.0 IdentityHash: 'a@example.com' salted with 'Kosher'.
    expect(await hashIdentity("a@example.com", "Kosher")).toBe(
      "sha256$b5809d8a92f8858436d7e6b87c12ebc0ae1eac4baecc2c0b913aee2c922ef399",
    );
  });

  it("rejects bad ids, indexes and inverted validity periods", async () => {
    const issuer = await makeIssuer();
    await expect(buildCredential(credentialInput(issuer, { id: "not-a-uuid" }))).rejects.toThrow(/UUID/);
    expect(() => buildStatusEntry("https://x/status/1", -1)).toThrow(RangeError);
    await expect(
      buildCredential(credentialInput(issuer, { validFrom: "2026-01-01T00:00:00Z", validUntil: "2025-01-01T00:00:00Z" })),
    ).rejects.toThrow(/after validFrom/);
  });

  it("schema rejects what the shape check rejects (the check is not vacuous)", async () => {
    const issuer = await makeIssuer();
    const vc = await buildCredential(credentialInput(issuer));
    const broken = { ...vc, "@context": ["https://www.w3.org/ns/credentials/v2"] };
    expect(validate(broken)).toBe(false);
    expect(checkCredentialShape(broken)).toMatch(/@context\[1\]/);
    const noAchievement = { ...vc, credentialSubject: { ...vc.credentialSubject, achievement: undefined } };
    expect(validate(JSON.parse(JSON.stringify(noAchievement)))).toBe(false);
    expect(checkCredentialShape(noAchievement)).toMatch(/achievement/);
    expect(validate({ ...vc, credentialSchema: [{ id: 5, type: "1EdTechJsonSchemaValidator2019" }] })).toBe(false);
  });
});
