// The issuance mapping (org + achievement + recipient → credential) checked against the 1EdTech
// OB 3.0 AchievementCredential JSON Schema. Runs in Node: ajv compiles validators with
// `new Function`, which workerd forbids.
import Ajv2019 from "ajv/dist/2019.js";
import addFormats from "ajv-formats";
import { decodeJwt } from "jose";
import { describe, expect, it } from "vitest";
import schema from "../../../shared/credential/schema/ob_v3p0_achievementcredential_schema.json" with { type: "json" };
import { generateIssuerKey } from "../../../shared/keys/index.ts";
import { signCredentialJwt } from "../../../shared/vc-jwt/index.ts";
import { buildOrgCredential, type OrgCredentialInput } from "./credential.ts";

const ajv = new Ajv2019({ strict: false, allErrors: true });
addFormats(ajv);
const validate = ajv.compile(schema);

const input: OrgCredentialInput = {
  base: "http://127.0.0.1:8787",
  org: { id: crypto.randomUUID(), slug: "demo", name: "Laurel Demo University", url: "https://demo.example.edu" },
  achievement: {
    id: crypto.randomUUID(),
    name: "Introduction to Verifiable Credentials",
    description: "Completed the course.",
    criteriaNarrative: "Pass the final exam.",
    imageUrl: "https://demo.example.edu/badge.png",
    tags: ["vc", "ob3"],
  },
  recipient: { name: "Ada Lovelace", email: "ada@example.edu" },
  id: crypto.randomUUID(),
  slot: { statusListId: crypto.randomUUID(), statusIndex: 98_765 },
  validFrom: "2026-11-24T10:00:00Z",
  validUntil: "2030-11-24T10:00:00Z",
};

describe("issued credentials against the OB 3.0 JSON Schema", () => {
  it("the credential and the signed JWT payload validate (with image, tags, expiry and a local did:web)", async () => {
    const vc = await buildOrgCredential(input);
    expect(validate(vc), JSON.stringify(validate.errors)).toBe(true);
    expect(vc.issuer.id).toBe("did:web:127.0.0.1%3A8787:issuers:demo");
    expect(vc.credentialStatus.statusListCredential).toBe(`http://127.0.0.1:8787/status/${input.slot.statusListId}`);

    const key = await generateIssuerKey();
    const payload = decodeJwt(await signCredentialJwt(vc, { keyId: key.keyId, privateKey: key.privateJwk }));
    expect(validate(payload), JSON.stringify(validate.errors)).toBe(true);
  });

  it("the minimal credential (no image, no tags, no expiry, no issuer url) validates", async () => {
    const vc = await buildOrgCredential({
      ...input,
      org: { ...input.org, url: null },
      achievement: { ...input.achievement, imageUrl: null, tags: [] },
      validUntil: undefined,
    });
    expect(validate(vc), JSON.stringify(validate.errors)).toBe(true);
  });

  it("the schema check is not vacuous: a credential without its subject's achievement fails", async () => {
    const vc = (await buildOrgCredential(input)) as unknown as { credentialSubject: Record<string, unknown> };
    delete vc.credentialSubject.achievement;
    expect(validate(vc)).toBe(false);
  });
});
