import { describe, expect, it } from "vitest";
import { call, makeAchievement, makeOrg } from "../test/api.ts";

describe("achievements", () => {
  it("POST creates (201) and GET reads back the same achievement", async () => {
    const org = await makeOrg("ach");
    const res = await call("/v1/achievements", {
      method: "POST",
      token: org.apiKey,
      json: {
        name: "  Data Science  ",
        description: "Finished the course.",
        criteria: { narrative: "Pass all labs." },
        imageUrl: "https://example.edu/ds.png",
        tags: ["data", "python"],
      },
    });
    expect(res.status).toBe(201);
    const created = (await res.json()) as Record<string, unknown>;
    expect(created).toMatchObject({
      name: "Data Science",
      description: "Finished the course.",
      criteria: { narrative: "Pass all labs." },
      imageUrl: "https://example.edu/ds.png",
      tags: ["data", "python"],
    });
    expect(created.id).toMatch(/^[0-9a-f-]{36}$/);
    const got = await call(`/v1/achievements/${created.id}`, { token: org.apiKey });
    expect(got.status).toBe(200);
    expect(await got.json()).toEqual(created);
    const missing = await call(`/v1/achievements/${crypto.randomUUID()}`, { token: org.apiKey });
    expect(missing.status).toBe(404);
  });

  it("optional fields default: imageUrl null, tags []", async () => {
    const org = await makeOrg("achdef");
    const a = (await (await call("/v1/achievements", {
      method: "POST",
      token: org.apiKey,
      json: { name: "n", description: "d", criteria: { narrative: "c" } },
    })).json()) as Record<string, unknown>;
    expect(a.imageUrl).toBeNull();
    expect(a.tags).toEqual([]);
  });

  it("lists newest first with an opaque cursor; limit defaults to 20", async () => {
    const org = await makeOrg("achpage");
    const ids: string[] = [];
    for (let i = 0; i < 23; i++) ids.push((await makeAchievement(org, { name: `A${i}` })).id);
    const first = (await (await call("/v1/achievements", { token: org.apiKey })).json()) as { data: { id: string }[]; nextCursor: string | null };
    expect(first.data).toHaveLength(20);
    expect(first.nextCursor).toMatch(/^[A-Za-z0-9_-]+$/);
    const second = (await (await call(`/v1/achievements?cursor=${first.nextCursor}`, { token: org.apiKey })).json()) as typeof first;
    expect(second.data).toHaveLength(3);
    expect(second.nextCursor).toBeNull();
    const all = [...first.data, ...second.data].map((a) => a.id);
    expect(all).toEqual([...ids].reverse());

    let cursor: string | null = null;
    const seen: string[] = [];
    do {
      const q: string = `/v1/achievements?limit=7${cursor ? `&cursor=${cursor}` : ""}`;
      const page = (await (await call(q, { token: org.apiKey })).json()) as typeof first;
      seen.push(...page.data.map((a) => a.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual(all);
  });
});
