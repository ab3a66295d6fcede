// The wallet through the origin app: sign in with the link from a notification email, see the
// credentials of two orgs, the CSRF rule, hiding, the name choice reaching the published
// projection, sign-out, and the unsubscribe link. Also POST /v1/credentials/:id/notify.
import { reset } from "cloudflare:test";
import { afterEach, describe, expect, it } from "vitest";
import { kvKeys, type CredentialProjection } from "../../shared/kv-keys.ts";
import type { OriginEnv } from "../env.ts";
import { issueCredentials } from "../services/issuance/issue.ts";
import { HIDDEN_RECIPIENT_NAME } from "../services/publication/credential-projection.ts";
import { messagesTo, outboxMail, uniqueAddress } from "../test/mail.ts";
import { call, drain, newIssuer, testEnv } from "../test/queue-fixtures.ts";

afterEach(() => reset());

function mailEnv() {
  return { ...testEnv(), ...outboxMail() } as ReturnType<typeof testEnv>;
}

async function issueTo(e: ReturnType<typeof mailEnv>, issuer: Awaited<ReturnType<typeof newIssuer>>, email: string, name = "Ada Lovelace") {
  const [r] = await issueCredentials(e, { org: issuer.org, achievement: issuer.achievement, recipients: [{ name, email }], requestId: "t" });
  if (!r?.ok) throw new Error("issuance failed");
  await e.JOBS.send({ type: "credential.publish", credentialId: r.credentialId, requestId: "t", fresh: true, card: "lazy" });
  await drain(e);
  return r.credentialId;
}

function formPost(path: string, fields: Record<string, string>, cookie?: string): RequestInit {
  return {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", ...(cookie ? { cookie } : {}) },
    body: new URLSearchParams(fields).toString(),
  };
}

/** Signs in with the wallet link of the newest email to `email`; returns the session cookie. */
async function signIn(e: OriginEnv, email: string): Promise<string> {
  const [message] = await messagesTo(email);
  const link = /https:\/\/origin\.test(\/wallet\/sign-in\?token=[\w-]+)/.exec(message!.text)![1]!;
  const confirm = await call(e, link);
  expect(confirm.status).toBe(200);
  expect(confirm.headers.get("content-security-policy")).toContain("default-src 'none'");
  const token = new URL(`https://x${link}`).searchParams.get("token")!;
  const res = await call(e, "/wallet/sign-in", formPost("/wallet/sign-in", { token }));
  expect(res.status).toBe(303);
  expect(res.headers.get("location")).toBe("/wallet/credentials");
  const cookie = res.headers.get("set-cookie")!;
  expect(cookie).toMatch(/^__Host-laurel_wallet=[\w-]+;/);
  expect(cookie).toMatch(/HttpOnly/);
  expect(cookie).toMatch(/Secure/);
  expect(cookie).toMatch(/SameSite=Lax/);
  // One-time: the same link again does not sign in.
  expect((await call(e, "/wallet/sign-in", formPost("/wallet/sign-in", { token }))).status).toBe(400);
  return cookie.split(";")[0]!;
}

describe("wallet", { timeout: 60_000 }, () => {
  it("lists the credentials two orgs issued to one address; CSRF, hiding, the name choice and sign-out", async () => {
    const e = mailEnv();
    const email = uniqueAddress("wallet");
    const first = await newIssuer("First University");
    const second = await newIssuer("Second Academy");
    const id1 = await issueTo(e, first, email);
    const id2 = await issueTo(e, second, email.toUpperCase());
    const otherId = await issueTo(e, second, uniqueAddress("someone-else"));
    const cookie = await signIn(e, email);

    const page = await (await call(e, "/wallet/credentials", { headers: { cookie } })).text();
    expect(page).toContain("First University");
    expect(page).toContain("Second Academy");
    expect(page).toContain(`https://verify.example.test/c/${id1}`);
    expect(page).toContain(`https://verify.example.test/c/${id2}.jwt`);
    expect(page).toContain(`https://verify.example.test/c/${id2}/badge.png`);
    expect(page).toContain(`https://verify.example.test/c/${id2}/certificate.pdf`);
    expect(page).toContain("https://www.linkedin.com/profile/add?");
    expect(page).not.toContain(otherId);
    const csrf = /name="csrf" value="([^"]+)"/.exec(page)![1]!;

    // Without the CSRF token: 403, nothing hidden.
    const refused = await call(e, `/wallet/credentials/${id1}/hide`, formPost("", { csrf: "wrong" }, cookie));
    expect(refused.status).toBe(403);
    expect(((await refused.json()) as { code: string }).code).toBe("FORBIDDEN");
    // Another recipient's credential: 404.
    expect((await call(e, `/wallet/credentials/${otherId}/hide`, formPost("", { csrf }, cookie))).status).toBe(404);
    expect((await call(e, `/wallet/credentials/${id1}/hide`, formPost("", { csrf }, cookie))).status).toBe(303);
    const afterHide = await (await call(e, "/wallet/credentials", { headers: { cookie } })).text();
    expect(afterHide.indexOf("Hidden from your list")).toBeGreaterThan(-1);
    expect(afterHide.indexOf(`/wallet/credentials/${id1}/unhide`)).toBeGreaterThan(afterHide.indexOf("Hidden from your list"));

    // Hiding the name changes what the edge is given (the published projection), not the JWT.
    expect((await call(e, "/wallet/preferences", formPost("", { csrf, name: "hidden" }, cookie))).status).toBe(303);
    await drain(e);
    const projection = await e.PROJECTIONS.get<CredentialProjection>(kvKeys.credential(id1), "json");
    expect(projection!.recipientName).toBe(HIDDEN_RECIPIENT_NAME);
    expect(projection!.jwt).toContain(".");

    expect((await call(e, "/wallet/sign-out", formPost("", { csrf }, cookie))).status).toBe(303);
    const signedOut = await call(e, "/wallet/credentials", { headers: { cookie } });
    expect(signedOut.status).toBe(303);
    expect(signedOut.headers.get("location")).toBe("/wallet");
  });

  it("the sign-in form answers the same for known and unknown addresses", async () => {
    const e = mailEnv();
    const known = uniqueAddress("known");
    await issueTo(e, await newIssuer(), known);
    const a = await call(e, "/wallet", formPost("", { email: known }));
    const b = await call(e, "/wallet", formPost("", { email: uniqueAddress("unknown") }));
    expect(a.status).toBe(200);
    expect(await a.text()).toBe(await b.text());
  });

  it("the unsubscribe link records the opt-out; the next notice from that org is skipped", async () => {
    const e = mailEnv();
    const issuer = await newIssuer("Opt Out Org");
    const email = uniqueAddress("optout");
    await issueTo(e, issuer, email);
    const [message] = await messagesTo(email);
    const link = /https:\/\/origin\.test(\/unsubscribe\?[^\s]+)/.exec(message!.text)![1]!;
    expect((await call(e, link.replace(/sig=[^&]+/, "sig=forged"))).status).toBe(404);
    expect((await call(e, link)).status).toBe(200); // a confirmation page: a GET changes nothing
    expect((await call(e, link, { method: "POST", body: "List-Unsubscribe=One-Click", headers: { "content-type": "application/x-www-form-urlencoded" } })).status).toBe(200);
    const id = await issueTo(e, issuer, email);
    const status = await (await call(e, `/v1/credentials/${id}`, { apiKey: issuer.org.apiKey })).json();
    expect((status as { notifications: unknown[] }).notifications).toEqual([expect.objectContaining({ kind: "issued", status: "skipped", error: "recipient unsubscribed" })]);
    expect(await messagesTo(email)).toHaveLength(1);
  });
});

describe("POST /v1/credentials/:id/notify", { timeout: 60_000 }, () => {
  it("re-sends as a new instance (202); another org's id is 404; a read-only key is 403", async () => {
    const e = mailEnv();
    const issuer = await newIssuer();
    const email = uniqueAddress("resend");
    const id = await issueTo(e, issuer, email);
    const res = await call(e, `/v1/credentials/${id}/notify`, { method: "POST", apiKey: issuer.org.apiKey });
    expect(res.status).toBe(202);
    expect(await res.json()).toMatchObject({ id, kind: "issued", notifications: [{ kind: "issued", status: "pending", resends: 1 }] });
    await drain(e);
    expect(await messagesTo(email)).toHaveLength(2);

    const other = await newIssuer();
    expect((await call(e, `/v1/credentials/${id}/notify`, { method: "POST", apiKey: other.org.apiKey })).status).toBe(404);
    const keyRes = await call(e, "/v1/api-keys", {
      method: "POST",
      apiKey: issuer.org.apiKey,
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ name: "reader", scopes: ["read"] }),
    });
    const reader = ((await keyRes.json()) as { apiKey: string }).apiKey;
    const forbidden = await call(e, `/v1/credentials/${id}/notify`, { method: "POST", apiKey: reader });
    expect(forbidden.status).toBe(403);
  });
});
