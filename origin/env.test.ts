// The origin's settings are checked before any route runs: a missing or malformed one answers 503
// NOT_CONFIGURED naming the setting and its rule (never its value, which may be a secret), on every
// route including /healthz, so the launcher's health wait fails loudly at start. Real app in workerd.
import { describe, expect, it } from "vitest";
import type { Problem } from "../shared/http/problem.ts";
import { originSetting, type OriginEnv } from "./env.ts";
import { ADMIN, BASE, call, credentialBody, issue, makeAchievement, makeOrg } from "./test/api.ts";

type Settings = Partial<Record<keyof OriginEnv, unknown>>;

async function notConfigured(path: string, settings: Settings, init: Parameters<typeof call>[1] = {}): Promise<Problem> {
  const res = await call(path, init, settings as Partial<OriginEnv>);
  expect(res.status, `${path} with ${Object.keys(settings).join(",")}`).toBe(503);
  expect(res.headers.get("content-type")).toBe("application/problem+json");
  const body = (await res.json()) as Problem;
  expect(body).toMatchObject({ status: 503, code: "NOT_CONFIGURED" });
  expect(body.requestId).toBe(res.headers.get("x-request-id"));
  return body;
}

describe("origin settings", () => {
  it("answers 503 NOT_CONFIGURED naming each required setting that is missing, on every route", async () => {
    for (const name of ["LIBSQL_URL", "PUBLIC_BASE_URL", "KEY_ENCRYPTION_SECRET"] as const) {
      for (const [path, init] of [["/healthz", {}], ["/v1/orgs", { method: "POST", token: ADMIN, json: { name: "Acme", slug: "acme-unconfigured" } }]] as const) {
        const body = await notConfigured(path, { [name]: undefined }, init);
        expect(body.detail).toBe(`The setting ${name} is required.`);
      }
    }
  });

  it("names the rule a malformed setting breaks, without echoing its value", async () => {
    const cases = [
      ["LIBSQL_URL", "ftp://db.example.test", /LIBSQL_URL must be a libsql:\/\/, https:\/\/ or http:\/\/ URL/],
      ["LIBSQL_TIMEOUT_MS", "soon", /LIBSQL_TIMEOUT_MS must be a whole number of milliseconds from 1 to 60000/],
      ["LIBSQL_TIMEOUT_MS", "-250", /LIBSQL_TIMEOUT_MS must be a whole number/],
      ["KEY_ENCRYPTION_SECRET", "short-secret", /KEY_ENCRYPTION_SECRET must be at least 16 characters long/],
      ["PUBLIC_BASE_URL", "verify.example.test", /PUBLIC_BASE_URL must be an absolute URL/],
      ["STATUS_LIST_VALIDITY_DAYS", "400", /STATUS_LIST_VALIDITY_DAYS must be a whole number of days from 1 to 366/],
      ["STATUS_LIST_VALIDITY_DAYS", "1.5", /STATUS_LIST_VALIDITY_DAYS must be a whole number of days/],
    ] as const;
    for (const [name, value, rule] of cases) {
      const body = await notConfigured("/healthz", { [name]: value });
      expect(body.detail, `${name}=${value}`).toMatch(rule);
      expect(body.detail).not.toContain(value);
    }
  });

  it("serves with well-formed settings and builds public URLs from PUBLIC_BASE_URL in canonical form", async () => {
    expect((await call("/healthz")).status).toBe(200);
    // A trailing slash on the setting does not reach any public URL (did:web, verify URL).
    const org = await makeOrg("canon");
    const achievement = await makeAchievement(org);
    const issued = await issue(org, credentialBody(achievement.id));
    expect(issued.status).toBe(201);
    const { id } = (await issued.json()) as { id: string };
    const res = await call(`/v1/credentials/${id}`, { token: org.apiKey }, { PUBLIC_BASE_URL: `${BASE}//` });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { verifyUrl: string }).verifyUrl).toBe(`${BASE}/c/${id}`);
    expect(originSetting({ PUBLIC_BASE_URL: `${BASE}/` }, "PUBLIC_BASE_URL")).toBe(BASE);
    expect(originSetting({}, "LIBSQL_TIMEOUT_MS")).toBe(3000);
    expect(originSetting({ STATUS_LIST_VALIDITY_DAYS: 3 }, "STATUS_LIST_VALIDITY_DAYS")).toBe(3);
  });
});
