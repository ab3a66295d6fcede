// Seeds a running local stack through the origin's public API (docs/api.md "Issuer API"):
// an org, an achievement and credentials, then waits until the edge serves them. Shared by the
// edge benchmark and the edge load test.
import { credentialUrls } from "../../shared/public-urls.ts";

export interface SeededOrg {
  apiKey: string;
  slug: string;
  achievementId: string;
}

async function api<T>(originUrl: string, path: string, init: RequestInit & { token: string }): Promise<T> {
  const res = await fetch(`${originUrl}${path}`, {
    ...init,
    headers: { authorization: `Bearer ${init.token}`, "content-type": "application/json", ...(init.headers as Record<string, string>) },
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${init.method ?? "GET"} ${path} → ${res.status} ${text.slice(0, 300)}`);
  return JSON.parse(text) as T;
}

/** Creates an org (admin token) and one achievement. */
export async function seedOrg(originUrl: string, adminToken: string, slug = `bench-${Date.now().toString(36)}`): Promise<SeededOrg> {
  const org = await api<{ apiKey: string; slug: string }>(originUrl, "/v1/orgs", {
    method: "POST",
    token: adminToken,
    body: JSON.stringify({ name: `Bench ${slug}`, slug }),
  });
  const achievement = await api<{ id: string }>(originUrl, "/v1/achievements", {
    method: "POST",
    token: org.apiKey,
    body: JSON.stringify({ name: "Edge Benchmark", description: "Verified many times.", criteria: { narrative: "Exist." } }),
  });
  return { apiKey: org.apiKey, slug: org.slug, achievementId: achievement.id };
}

/** Issues `count` credentials one by one (a few in flight); returns their ids. */
export async function issueOneByOne(originUrl: string, org: SeededOrg, count: number, inFlight = 4): Promise<string[]> {
  const ids: string[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: inFlight }, async () => {
      while (next < count) {
        const i = next++;
        const made = await api<{ id: string }>(originUrl, "/v1/credentials", {
          method: "POST",
          token: org.apiKey,
          headers: { "idempotency-key": `bench-${org.slug}-${i}` },
          body: JSON.stringify({ achievementId: org.achievementId, recipient: { name: `Recipient ${i}`, email: `r${i}@bench.example` } }),
        });
        ids.push(made.id);
      }
    }),
  );
  return ids;
}

/** Issues `count` credentials in one batch and waits until it completes; returns their ids. */
export async function issueBatch(originUrl: string, org: SeededOrg, count: number, timeoutMs = 600_000): Promise<string[]> {
  const recipients = Array.from({ length: count }, (_, i) => ({ name: `Recipient ${i}`, email: `r${i}@load.example` }));
  const batch = await api<{ id: string }>(originUrl, "/v1/credentials/batch", {
    method: "POST",
    token: org.apiKey,
    headers: { "idempotency-key": `load-${org.slug}` },
    body: JSON.stringify({ achievementId: org.achievementId, recipients }),
  });
  const until = Date.now() + timeoutMs;
  for (;;) {
    const state = await api<{ status: string; issued: number; failed: number; total: number }>(originUrl, `/v1/batches/${batch.id}`, { token: org.apiKey });
    if (state.status === "completed" || state.status === "completed_with_errors") {
      if (state.failed > 0) throw new Error(`batch finished with ${state.failed} failures`);
      break;
    }
    if (Date.now() > until) throw new Error(`batch not done in ${timeoutMs} ms: ${JSON.stringify(state)}`);
    await new Promise((r) => setTimeout(r, 1000));
  }
  return listCredentialIds(originUrl, org);
}

/** Every credential id of the org's achievement, through the paginated list. */
export async function listCredentialIds(originUrl: string, org: SeededOrg): Promise<string[]> {
  const ids: string[] = [];
  let cursor: string | null = null;
  do {
    const query = new URLSearchParams({ limit: "100", achievementId: org.achievementId });
    if (cursor) query.set("cursor", cursor);
    const page: { data: { id: string }[]; nextCursor: string | null } = await api(originUrl, `/v1/credentials?${query}`, { token: org.apiKey });
    ids.push(...page.data.map((c) => c.id));
    cursor = page.nextCursor;
  } while (cursor);
  return ids;
}

/** Waits until the edge answers 200 for every id's verification (the projections are published). */
export async function waitForEdge(edgeUrl: string, ids: string[], timeoutMs = 300_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  let pending = [...ids];
  while (pending.length > 0) {
    const still: string[] = [];
    for (const id of pending) {
      const res = await fetch(credentialUrls(edgeUrl, id).jwt);
      await res.arrayBuffer();
      if (res.status !== 200) still.push(id);
    }
    pending = still;
    if (pending.length === 0) return;
    if (Date.now() > until) throw new Error(`${pending.length} credentials not served by the edge in time`);
    await new Promise((r) => setTimeout(r, 1000));
  }
}

/** Reads one counter (summed over labels) from a Prometheus text page. */
export async function readCounter(metricsUrl: string, name: string): Promise<number> {
  const text = await (await fetch(metricsUrl)).text();
  let total = 0;
  for (const line of text.split("\n")) {
    if (line.startsWith(`${name}{`) || line.startsWith(`${name} `)) total += Number(line.slice(line.lastIndexOf(" ") + 1));
  }
  return total;
}
