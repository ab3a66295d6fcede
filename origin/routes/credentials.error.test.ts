import { describe, expect, it } from "vitest";
import { call, countRows, credentialBody, issue, makeAchievement, makeOrg, problem, type TestOrg } from "../test/api.ts";

async function snapshot(org: TestOrg) {
  return {
    credentials: await countRows("credentials", "org_id = ?", [org.id]),
    // A failed request gives its key up: the record may stay, marked released, holding nothing.
    idempotency: await countRows("idempotency_keys", "org_id = ? AND state != 'released'", [org.id]),
    achievements: await countRows("achievements", "org_id = ?", [org.id]),
    allocated: await countRows("status_lists", "org_id = ? AND allocated > 0", [org.id]),
  };
}

function raw(org: TestOrg, body: BodyInit, headers: Record<string, string> = {}) {
  return call("/v1/credentials", {
    method: "POST",
    token: org.apiKey,
    body,
    headers: { "content-type": "application/json", "idempotency-key": crypto.randomUUID(), ...headers },
  });
}

describe("POST /v1/credentials with bad input writes nothing", () => {
  it("malformed JSON → 400 MALFORMED_JSON", async () => {
    const org = await makeOrg("badjson");
    const before = await snapshot(org);
    for (const body of ['{"achievementId": ', "not json", "{'single': 1}", ""]) {
      const res = await raw(org, body);
      expect(res.status).toBe(400);
      expect((await problem(res)).code).toBe("MALFORMED_JSON");
    }
    expect(await snapshot(org)).toEqual(before);
  });

  it("wrong types and missing fields → 400 VALIDATION_FAILED naming each field", async () => {
    const org = await makeOrg("badtypes");
    const achievement = await makeAchievement(org);
    const before = await snapshot(org);
    const cases: [unknown, string[]][] = [
      [{}, ["achievementId", "recipient"]],
      [{ achievementId: 42, recipient: { name: "A", email: "a@example.edu" } }, ["achievementId"]],
      [{ achievementId: achievement.id, recipient: "ada" }, ["recipient"]],
      [{ achievementId: achievement.id, recipient: { name: "", email: "a@example.edu" } }, ["recipient.name"]],
      [{ achievementId: achievement.id, recipient: { name: "A", email: "not-an-email" } }, ["recipient.email"]],
      [{ achievementId: achievement.id, recipient: { name: "A".repeat(201), email: "a@example.edu" } }, ["recipient.name"]],
      [{ ...credentialBody(achievement.id), validFrom: "yesterday" }, ["validFrom"]],
      [{ ...credentialBody(achievement.id), validFrom: "2030-01-02T00:00:00Z", validUntil: "2030-01-01T00:00:00Z" }, ["validUntil"]],
      [{ ...credentialBody(achievement.id), validUntil: "2000-01-01T00:00:00Z" }, ["validUntil"]],
      [[credentialBody(achievement.id)], ["(body)"]],
    ];
    for (const [body, fields] of cases) {
      const res = await issue(org, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      const p = await problem(res);
      expect(p.code).toBe("VALIDATION_FAILED");
      expect(p.errors?.map((e) => e.field)).toEqual(expect.arrayContaining(fields));
    }
    expect(await snapshot(org)).toEqual(before);
  });

  it("unknown achievement, or another org's, → 404 ACHIEVEMENT_NOT_FOUND", async () => {
    const org = await makeOrg("noach");
    const other = await makeOrg("noach-other");
    const foreign = await makeAchievement(other);
    const before = await snapshot(org);
    for (const achievementId of [crypto.randomUUID(), foreign.id, "not-a-uuid"]) {
      const res = await issue(org, credentialBody(achievementId));
      expect(res.status).toBe(404);
      expect((await problem(res)).code).toBe("ACHIEVEMENT_NOT_FOUND");
    }
    expect(await snapshot(org)).toEqual(before);
    expect(await countRows("credentials", "org_id = ?", [other.id])).toBe(0);
  });

  it("wrong content type → 415 UNSUPPORTED_MEDIA_TYPE", async () => {
    const org = await makeOrg("ctype");
    const achievement = await makeAchievement(org);
    const before = await snapshot(org);
    const json = JSON.stringify(credentialBody(achievement.id));
    for (const type of ["text/plain", "application/x-www-form-urlencoded", "text/csv"]) {
      const res = await raw(org, json, { "content-type": type });
      expect(res.status).toBe(415);
      expect((await problem(res)).code).toBe("UNSUPPORTED_MEDIA_TYPE");
    }
    const noType = await call("/v1/credentials", {
      method: "POST",
      token: org.apiKey,
      body: new Blob([json]),
      headers: { "idempotency-key": crypto.randomUUID() },
    });
    expect(noType.status).toBe(415);
    expect(await snapshot(org)).toEqual(before);
  });

  it("bodies over 1 MiB → 413 PAYLOAD_TOO_LARGE, by Content-Length and by bytes actually sent", async () => {
    const org = await makeOrg("huge");
    const achievement = await makeAchievement(org);
    const before = await snapshot(org);
    const huge = JSON.stringify({ ...credentialBody(achievement.id), padding: "x".repeat(1024 * 1024 + 10) });
    const declared = await raw(org, huge);
    expect(declared.status).toBe(413);
    expect((await problem(declared)).code).toBe("PAYLOAD_TOO_LARGE");

    // Streamed without a Content-Length: cut off once the limit is passed.
    const chunk = new TextEncoder().encode("x".repeat(64 * 1024));
    let sent = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent === 0) controller.enqueue(new TextEncoder().encode('{"padding":"'));
        if (sent > 40) return controller.close(); // ~2.6 MB if nobody stops reading
        controller.enqueue(chunk);
        sent++;
      },
    });
    const streamed = await call("/v1/credentials", {
      method: "POST",
      token: org.apiKey,
      body: stream,
      headers: { "content-type": "application/json", "idempotency-key": crypto.randomUUID() },
      // @ts-expect-error -- workerd needs no duplex, the DOM type wants it
      duplex: "half",
    });
    expect(streamed.status).toBe(413);
    expect(sent).toBeLessThan(40);

    // A body just under the limit is read (and fails validation only on its content).
    const fine = JSON.stringify({ ...credentialBody(achievement.id), padding: "x".repeat(1000) });
    expect((await raw(org, fine)).status).toBe(201);
    expect((await snapshot(org)).credentials).toBe(before.credentials + 1);
  });

  it("achievements: bad input → 400 naming fields, http image URLs only for localhost, nothing written", async () => {
    const org = await makeOrg("achbad");
    const before = await snapshot(org);
    const base = { name: "N", description: "D", criteria: { narrative: "C" } };
    const cases: [unknown, string][] = [
      [{ ...base, name: "" }, "name"],
      [{ ...base, name: 5 }, "name"],
      [{ ...base, criteria: {} }, "criteria.narrative"],
      [{ ...base, criteria: "x" }, "criteria"],
      [{ ...base, description: "d".repeat(2001) }, "description"],
      [{ ...base, imageUrl: "http://example.edu/i.png" }, "imageUrl"],
      [{ ...base, imageUrl: "javascript:alert(1)" }, "imageUrl"],
      [{ ...base, imageUrl: "not a url" }, "imageUrl"],
      [{ ...base, tags: "one" }, "tags"],
      [{ ...base, tags: Array.from({ length: 21 }, (_, i) => `t${i}`) }, "tags"],
      [{ ...base, tags: [""] }, "tags.0"],
    ];
    for (const [body, field] of cases) {
      const res = await call("/v1/achievements", { method: "POST", token: org.apiKey, json: body });
      expect(res.status, JSON.stringify(body)).toBe(400);
      const p = await problem(res);
      expect(p.code).toBe("VALIDATION_FAILED");
      expect(p.errors?.map((e) => e.field)).toContain(field);
    }
    expect(await snapshot(org)).toEqual(before);
    const local = await call("/v1/achievements", { method: "POST", token: org.apiKey, json: { ...base, imageUrl: "http://localhost:8787/i.png" } });
    expect(local.status).toBe(201);
  });

  it("revoke: reason required (1-500 chars), unknown id → 404; nothing changes", async () => {
    const org = await makeOrg("revbad");
    const achievement = await makeAchievement(org);
    const { id } = (await (await issue(org, credentialBody(achievement.id))).json()) as { id: string };
    for (const body of [{}, { reason: "" }, { reason: "   " }, { reason: "r".repeat(501) }, { reason: 7 }]) {
      const res = await call(`/v1/credentials/${id}/revoke`, { method: "POST", token: org.apiKey, json: body });
      expect(res.status).toBe(400);
      expect((await problem(res)).errors?.map((e) => e.field)).toContain("reason");
    }
    const unknown = await call(`/v1/credentials/${crypto.randomUUID()}/revoke`, { method: "POST", token: org.apiKey, json: { reason: "x" } });
    expect(unknown.status).toBe(404);
    expect(await countRows("credentials", "id = ? AND status = 'active'", [id])).toBe(1);
  });

  it("list: bad limit and cursor → 400 naming the field", async () => {
    const org = await makeOrg("listbad");
    for (const [qs, field] of [["limit=0", "limit"], ["limit=101", "limit"], ["limit=abc", "limit"], ["cursor=garbage!", "cursor"]]) {
      for (const path of ["/v1/credentials", "/v1/achievements"]) {
        const res = await call(`${path}?${qs}`, { token: org.apiKey });
        expect(res.status, `${path}?${qs}`).toBe(400);
        expect((await problem(res)).errors?.map((e) => e.field)).toContain(field);
      }
    }
  });
});
