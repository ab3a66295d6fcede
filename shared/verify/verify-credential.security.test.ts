// Hostile input: every case must come back as a result (no throw) naming the failing check.
import { SignJWT, base64url, importJWK, type JWK } from "jose";
import { describe, expect, it } from "vitest";
import { verifyCredential } from "./verify-credential.ts";
import { issue, makeIssuer, type TestIssuer } from "../testing/fixtures.ts";
import type { VerificationResult } from "./types.ts";

const text = new TextEncoder();

function b64json(value: unknown): string {
  return base64url.encode(text.encode(JSON.stringify(value)));
}

function payloadOf(jwt: string): Record<string, unknown> {
  return JSON.parse(new TextDecoder().decode(base64url.decode(jwt.split(".")[1]!)));
}

function failed(r: VerificationResult): string[] {
  return r.checks.filter((c) => !c.ok).map((c) => c.name);
}

async function signRaw(
  issuer: TestIssuer,
  payload: Record<string, unknown>,
  header: Record<string, unknown> = {},
): Promise<string> {
  const key = await importJWK(issuer.key.privateJwk, "ES256");
  return new SignJWT(payload)
    .setProtectedHeader({ alg: "ES256", typ: "JWT", kid: `${issuer.did}#${issuer.key.keyId}`, ...header })
    .sign(key);
}

async function setup() {
  const issuer = await makeIssuer();
  const { jwt } = await issue(issuer);
  const opts = { resolveIssuerKeys: issuer.resolveIssuerKeys, resolveStatus: () => ({ bitSet: false }) };
  return { issuer, jwt, opts, payload: payloadOf(jwt) };
}

describe("verifyCredential rejects hostile input", () => {
  it("alg none", async () => {
    const { issuer, opts, payload } = await setup();
    const jwt = `${b64json({ alg: "none", typ: "JWT", kid: `${issuer.did}#${issuer.key.keyId}` })}.${b64json(payload)}.`;
    const r = await verifyCredential(jwt, opts);
    expect(r.status).toBe("invalid");
    expect(failed(r)).toEqual(["algorithm"]);
    expect(r.reason).toMatch(/"none" not allowed/);
  });

  it("HS256 signed with the issuer's public key as the HMAC secret", async () => {
    const { issuer, opts, payload } = await setup();
    const secret = text.encode(JSON.stringify(issuer.key.publicJwk));
    const jwt = await new SignJWT(payload)
      .setProtectedHeader({ alg: "HS256", typ: "JWT", kid: `${issuer.did}#${issuer.key.keyId}` })
      .sign(secret);
    const r = await verifyCredential(jwt, opts);
    expect(r.status).toBe("invalid");
    expect(failed(r)).toEqual(["algorithm"]);
  });

  it("unknown kid", async () => {
    const { issuer, opts, payload } = await setup();
    const r = await verifyCredential(await signRaw(issuer, payload, { kid: `${issuer.did}#nope` }), opts);
    expect(failed(r)).toEqual(["key"]);
    expect(r.status).toBe("invalid");
    expect(r.reason).toMatch(/not among the issuer's keys/);
  });

  it("kid of another issuer (an attacker signing with their own key)", async () => {
    const { issuer, opts, payload } = await setup();
    const attacker = await makeIssuer("evil");
    const keys = (did: string) => issuer.resolveIssuerKeys(did) ?? attacker.resolveIssuerKeys(did);
    const jwt = await signRaw(attacker, payload);
    const r = await verifyCredential(jwt, { ...opts, resolveIssuerKeys: keys });
    expect(failed(r)).toEqual(["key"]);
    expect(r.reason).toMatch(/is not a key of issuer/);
  });

  it("a key listed by the issuer but of the wrong type for alg", async () => {
    const { issuer, opts, payload } = await setup();
    const ed = await makeIssuer("acme", "EdDSA");
    const kid = `${issuer.did}#${issuer.key.keyId}`;
    const edKey = await importJWK(ed.key.privateJwk, "EdDSA");
    const jwt = await new SignJWT(payload).setProtectedHeader({ alg: "EdDSA", typ: "JWT", kid }).sign(edKey);
    const r = await verifyCredential(jwt, opts);
    expect(failed(r)).toEqual(["key"]);
  });

  it("tampered payload", async () => {
    const { jwt, opts, payload } = await setup();
    const [h, , s] = jwt.split(".");
    const forged = { ...payload, credentialSubject: { ...(payload.credentialSubject as object), name: "Mallory" } };
    const r = await verifyCredential(`${h}.${b64json(forged)}.${s}`, opts);
    expect(failed(r)).toEqual(["signature"]);
    expect(r.status).toBe("invalid");
    expect(r.credential).toBeUndefined();
  });

  it("tampered signature", async () => {
    const { jwt, opts } = await setup();
    const [h, p, s] = jwt.split(".");
    const sig = base64url.decode(s!);
    sig[10] = (sig[10] ?? 0) ^ 0xff;
    const r = await verifyCredential(`${h}.${p}.${base64url.encode(sig)}`, opts);
    expect(failed(r)).toEqual(["signature"]);
  });

  it("wrong typ", async () => {
    const { issuer, opts, payload } = await setup();
    const r = await verifyCredential(await signRaw(issuer, payload, { typ: "at+jwt" }), opts);
    expect(failed(r)).toEqual(["type"]);
    expect(r.status).toBe("invalid");
  });

  it("accepts typ vc+jwt", async () => {
    const { issuer, opts, payload } = await setup();
    const r = await verifyCredential(await signRaw(issuer, payload, { typ: "vc+jwt" }), opts);
    expect(r.status).toBe("valid");
  });

  it("expired, beyond the 60 s clock tolerance only", async () => {
    const issuer = await makeIssuer();
    const validUntil = "2025-06-01T00:00:00Z";
    const { jwt } = await issue(issuer, { validFrom: "2025-01-01T00:00:00Z", validUntil });
    const opts = { resolveIssuerKeys: issuer.resolveIssuerKeys, resolveStatus: () => ({ bitSet: false }) };
    const justAfter = await verifyCredential(jwt, { ...opts, now: Date.parse(validUntil) + 30_000 });
    expect(justAfter.status).toBe("valid");
    const r = await verifyCredential(jwt, { ...opts, now: Date.parse(validUntil) + 61_000 });
    expect(r.status).toBe("expired");
    expect(failed(r)).toEqual(["valid_until"]);
    expect(r.credential?.validUntil).toBe(validUntil);
  });

  it("not yet valid", async () => {
    const issuer = await makeIssuer();
    const { jwt } = await issue(issuer, { validFrom: new Date(Date.now() + 3600_000) });
    const r = await verifyCredential(jwt, { resolveIssuerKeys: issuer.resolveIssuerKeys, resolveStatus: () => ({ bitSet: false }) });
    expect(r.status).toBe("not_yet_valid");
    expect(failed(r)).toEqual(["valid_from"]);
  });

  for (const claim of ["jti", "sub", "nbf"]) {
    it(`missing ${claim} claim`, async () => {
      const { issuer, opts, payload } = await setup();
      const { [claim]: _dropped, ...rest } = payload;
      const r = await verifyCredential(await signRaw(issuer, rest), opts);
      expect(failed(r)).toEqual(["claims"]);
      expect(r.status).toBe("invalid");
    });
  }

  it("missing iss claim", async () => {
    const { issuer, opts, payload } = await setup();
    const { iss: _iss, ...rest } = payload;
    const r = await verifyCredential(await signRaw(issuer, rest), opts);
    expect(failed(r)).toEqual(["key", "claims"]);
  });

  it("iss different from issuer.id", async () => {
    const { issuer, opts, payload } = await setup();
    const forged = { ...payload, issuer: { ...(payload.issuer as object), id: "did:web:elsewhere.example" } };
    const r = await verifyCredential(await signRaw(issuer, forged), opts);
    expect(failed(r)).toEqual(["claims"]);
    expect(r.reason).toMatch(/iss must equal issuer.id/);
  });

  it("nbf inconsistent with validFrom", async () => {
    const { issuer, opts, payload } = await setup();
    const r = await verifyCredential(await signRaw(issuer, { ...payload, nbf: (payload.nbf as number) - 7200 }), opts);
    expect(failed(r)).toEqual(["claims"]);
  });

  it("a signed payload that is not an OB 3.0 credential", async () => {
    const { issuer, opts, payload } = await setup();
    const r = await verifyCredential(await signRaw(issuer, { ...payload, type: ["VerifiableCredential"] }), opts);
    expect(failed(r)).toEqual(["shape"]);
    expect(r.status).toBe("invalid");
  });

  it("truncated and garbage tokens", async () => {
    const { jwt, opts } = await setup();
    const cases: [unknown, string][] = [
      [jwt.slice(0, jwt.length - 20), "signature"],
      [jwt.slice(0, jwt.indexOf(".") + 10), "format"],
      [jwt.split(".").slice(0, 2).join("."), "format"],
      ["", "format"],
      ["not a jwt", "format"],
      ["a.b.c", "format"],
      [`${b64json([1, 2])}.${b64json({})}.AAAA`, "format"],
      [`${b64json({ alg: "ES256" })}.${base64url.encode(new Uint8Array([0xff, 0xfe]))}.AAAA`, "format"],
      [null, "format"],
      [42, "format"],
      // An object is taken as a credential with an embedded proof: without one, the proof check fails.
      [{ credential: jwt }, "proof"],
    ];
    for (const [input, check] of cases) {
      const r = await verifyCredential(input, opts);
      expect(r.status, String(input).slice(0, 40)).toBe("invalid");
      expect(failed(r)[0], String(input).slice(0, 40)).toBe(check);
    }
  });

  it("megabyte-sized inputs are refused before parsing", async () => {
    const { jwt, opts } = await setup();
    for (const input of ["a".repeat(1 << 20), `${jwt}.${"A".repeat(2 << 20)}`, `${jwt.split(".")[0]}.${"A".repeat(70_000)}.AAAA`]) {
      const r = await verifyCredential(input, opts);
      expect(r.status).toBe("invalid");
      expect(r.checks).toEqual([expect.objectContaining({ name: "size", ok: false })]);
    }
  });

  it("a resolver that throws or returns junk does not escape", async () => {
    const { jwt } = await setup();
    const throwing = await verifyCredential(jwt, { resolveIssuerKeys: () => { throw new Error("kv down"); } });
    expect(throwing.status).toBe("unknown");
    const junk = await verifyCredential(jwt, { resolveIssuerKeys: () => [{ kty: "EC" } as JWK, null as unknown as JWK].slice(0, 1) });
    expect(junk.status).toBe("invalid");
    expect(failed(junk)).toContain("key");
  });

  it("crit headers are refused by the header check, before any key lookup", async () => {
    const { issuer, opts, payload } = await setup();
    // jose will not produce this token, so sign the JWS signing input by hand (RFC 7515 §5.1).
    const key = (await importJWK(issuer.key.privateJwk, "ES256")) as CryptoKey;
    const header = { alg: "ES256", typ: "JWT", kid: `${issuer.did}#${issuer.key.keyId}`, crit: ["urn:x:policy"], "urn:x:policy": 1 };
    const input = `${b64json(header)}.${b64json(payload)}`;
    const sig = await crypto.subtle.sign({ name: "ECDSA", hash: "SHA-256" }, key, text.encode(input));
    const r = await verifyCredential(`${input}.${base64url.encode(new Uint8Array(sig))}`, opts);
    expect(r.status).toBe("invalid");
    expect(failed(r)).toEqual(["header"]);
    expect(r.reason).toMatch(/crit not accepted/);
  });
});
