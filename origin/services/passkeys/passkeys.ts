// Passkeys (WebAuthn) for console members, with @simplewebauthn/server (WebCrypto, runs in
// workerd): registering one from the member's settings, and signing in with one. The relying
// party is the origin's public URL (ORIGIN_BASE_URL): its host is the RP ID, its origin the only
// origin accepted. Attestation "none" (the console does not restrict authenticator models).
import {
  generateAuthenticationOptions,
  generateRegistrationOptions,
  verifyAuthenticationResponse,
  verifyRegistrationResponse,
  type AuthenticationResponseJSON,
  type AuthenticatorTransport,
  type PublicKeyCredentialCreationOptionsJSON,
  type PublicKeyCredentialRequestOptionsJSON,
  type RegistrationResponseJSON,
} from "@simplewebauthn/server";
import { isoBase64URL } from "@simplewebauthn/server/helpers";
import { and, asc, eq, isNull } from "drizzle-orm";
import type { Database } from "../../db/client.ts";
import { memberPasskeys, members } from "../../db/schema/index.ts";
import type { MemberRow } from "../members/members.ts";
import { storeChallenge, takeChallenge } from "./challenges.ts";
import { MAX_RESPONSE_CHARS, relyingParty, type RelyingPartyEnv as Env } from "./relying-party.ts";

/** Passkeys one member may have. */
export const MAX_PASSKEYS_PER_MEMBER = 10;

export type PasskeyRow = typeof memberPasskeys.$inferSelect;

export function listPasskeys(db: Database, memberId: string): Promise<PasskeyRow[]> {
  return db.select().from(memberPasskeys).where(eq(memberPasskeys.memberId, memberId)).orderBy(asc(memberPasskeys.createdAt)).limit(MAX_PASSKEYS_PER_MEMBER + 1);
}

/** Deletes the member's own passkey; false when it is not theirs. */
export async function deletePasskey(db: Database, memberId: string, id: string): Promise<boolean> {
  const gone = await db.delete(memberPasskeys).where(and(eq(memberPasskeys.memberId, memberId), eq(memberPasskeys.id, id))).returning({ id: memberPasskeys.id });
  return gone.length > 0;
}

/** A refusal the page shows as it is (never a 500). */
export class PasskeyRefused extends Error {}

/** The challenge a WebAuthn response answers (from its clientDataJSON), or throws PasskeyRefused. */
function parseResponse<T extends { response: { clientDataJSON: string } }>(raw: string): { response: T; challenge: string } {
  if (!raw || raw.length > MAX_RESPONSE_CHARS) throw new PasskeyRefused("The passkey's answer is missing or too large.");
  try {
    const response = JSON.parse(raw) as T;
    const clientData = JSON.parse(new TextDecoder().decode(isoBase64URL.toBuffer(response.response.clientDataJSON))) as { challenge?: unknown };
    if (typeof clientData.challenge !== "string" || clientData.challenge.length > 200) throw new Error("no challenge");
    return { response, challenge: clientData.challenge };
  } catch {
    throw new PasskeyRefused("The passkey's answer could not be read.");
  }
}

/** Options for navigator.credentials.create(), the challenge stored for this member. */
export async function registrationOptions(db: Database, env: Env, member: MemberRow): Promise<PublicKeyCredentialCreationOptionsJSON> {
  const existing = await listPasskeys(db, member.id);
  if (existing.length >= MAX_PASSKEYS_PER_MEMBER) throw new PasskeyRefused(`A member has at most ${MAX_PASSKEYS_PER_MEMBER} passkeys; remove one first.`);
  const { rpID } = relyingParty(env);
  const options = await generateRegistrationOptions({
    rpName: "Laurel console",
    rpID,
    userName: member.email,
    userDisplayName: member.name,
    userID: new TextEncoder().encode(member.id) as Uint8Array<ArrayBuffer>,
    attestationType: "none",
    excludeCredentials: existing.map((p) => ({ id: p.id, transports: p.transports as AuthenticatorTransport[] })),
    authenticatorSelection: { residentKey: "required", userVerification: "preferred" },
  });
  await storeChallenge(db, options.challenge, { purpose: "register", memberId: member.id });
  return options;
}

/** Verifies the authenticator's answer to the member's registration challenge and stores the passkey. */
export async function finishRegistration(db: Database, env: Env, member: MemberRow, name: string, raw: string): Promise<PasskeyRow> {
  const { response, challenge } = parseResponse<RegistrationResponseJSON>(raw);
  if (!(await takeChallenge(db, challenge, { purpose: "register", memberId: member.id }))) {
    throw new PasskeyRefused("This passkey request expired or was already used. Try again.");
  }
  const { rpID, origin } = relyingParty(env);
  let verified;
  try {
    verified = await verifyRegistrationResponse({ response, expectedChallenge: challenge, expectedOrigin: origin, expectedRPID: rpID, requireUserVerification: false });
  } catch (error) {
    throw new PasskeyRefused(`The passkey was not accepted: ${(error as Error).message}`);
  }
  if (!verified.verified || !verified.registrationInfo) throw new PasskeyRefused("The passkey was not accepted.");
  const { credential } = verified.registrationInfo;
  const [row] = await db
    .insert(memberPasskeys)
    .values({
      id: credential.id,
      memberId: member.id,
      orgId: member.orgId,
      name,
      publicKey: isoBase64URL.fromBuffer(credential.publicKey),
      counter: credential.counter,
      transports: credential.transports ?? [],
      createdAt: new Date(),
    })
    .onConflictDoNothing()
    .returning();
  if (!row) throw new PasskeyRefused("This passkey is already registered.");
  return row;
}

/** Options for navigator.credentials.get() (discoverable passkeys: no email asked), bound to this browser. */
export async function signInOptions(db: Database, env: Env, browser: string): Promise<PublicKeyCredentialRequestOptionsJSON> {
  const options = await generateAuthenticationOptions({ rpID: relyingParty(env).rpID, userVerification: "preferred" });
  await storeChallenge(db, options.challenge, { purpose: "sign-in", browser });
  return options;
}

/** Verifies a sign-in answer; the active member whose passkey signed it. */
export async function finishSignIn(db: Database, env: Env, browser: string, raw: string): Promise<MemberRow> {
  const { response, challenge } = parseResponse<AuthenticationResponseJSON>(raw);
  if (!(await takeChallenge(db, challenge, { purpose: "sign-in", browser }))) {
    throw new PasskeyRefused("This sign-in request expired or was already used. Try again.");
  }
  const [found] = await db
    .select({ passkey: memberPasskeys, member: members })
    .from(memberPasskeys)
    .innerJoin(members, and(eq(members.id, memberPasskeys.memberId), isNull(members.removedAt)))
    .where(eq(memberPasskeys.id, String(response.id ?? "").slice(0, 1400)))
    .limit(1);
  if (!found) throw new PasskeyRefused("This passkey is not registered with the console.");
  const { rpID, origin } = relyingParty(env);
  let verified;
  try {
    verified = await verifyAuthenticationResponse({
      response,
      expectedChallenge: challenge,
      expectedOrigin: origin,
      expectedRPID: rpID,
      requireUserVerification: false,
      credential: {
        id: found.passkey.id,
        publicKey: isoBase64URL.toBuffer(found.passkey.publicKey),
        counter: found.passkey.counter,
        transports: found.passkey.transports as AuthenticatorTransport[],
      },
    });
  } catch (error) {
    throw new PasskeyRefused(`The passkey was not accepted: ${(error as Error).message}`);
  }
  if (!verified.verified) throw new PasskeyRefused("The passkey was not accepted.");
  await db
    .update(memberPasskeys)
    .set({ counter: verified.authenticationInfo.newCounter, lastUsedAt: new Date() })
    .where(eq(memberPasskeys.id, found.passkey.id));
  return found.member;
}
