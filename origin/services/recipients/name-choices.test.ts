// A recipient who withheld their name on the wallet page: batch-issued credentials show it withheld
// from their first publication (they are projected from memory, so the choice must be read for
// them), and a choice made afterwards reaches a batch's credentials at once.
import { reset } from "cloudflare:test";
import { eq } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import { createLogger } from "../../../shared/observability/logger.ts";
import { credentials } from "../../db/schema/index.ts";
import type { Job } from "../../queues/jobs.ts";
import { call, deliver, newIssuer, publishedProjections, testEnv } from "../../test/queue-fixtures.ts";
import { HIDDEN_RECIPIENT_NAME } from "../publication/credential-projection.ts";
import { recipientEmailHash } from "./email-hash.ts";
import { choicesChanged } from "./name-choices.ts";
import { setHideName } from "./wallet.ts";

afterEach(() => reset());

const log = createLogger({ service: "test" });

describe("withheld names on batch credentials", { timeout: 60_000 }, () => {
  it("apply to credentials batch-issued after the choice, and to existing ones when it changes", async () => {
    const e = testEnv();
    const issuer = await newIssuer();
    const tag = crypto.randomUUID().slice(0, 8);
    const [withheld, shown] = [`withheld-${tag}@example.org`, `shown-${tag}@example.org`];
    await setHideName(e, issuer.db, await recipientEmailHash(e.KEY_ENCRYPTION_SECRET, withheld), true, "t", log);

    const res = await call(e, "/v1/credentials/batch", {
      method: "POST",
      apiKey: issuer.org.apiKey,
      headers: { "content-type": "application/json", "idempotency-key": crypto.randomUUID() },
      body: JSON.stringify({ achievementId: issuer.achievement.id, recipients: [{ name: "Grace Hopper", email: withheld }, { name: "Alan Turing", email: shown }] }),
    });
    expect(res.status).toBe(202);
    const { id: batchId } = (await res.json()) as { id: string };
    await deliver(e, e.JOBS.take().filter((j: Job) => j.type === "batch.issue"));

    const rows = await issuer.db.select({ id: credentials.id, email: credentials.recipientEmail }).from(credentials).where(eq(credentials.batchId, batchId));
    const idOf = (email: string) => rows.find((r) => r.email === email)!.id;
    let published = await publishedProjections(e, rows.map((r) => r.id));
    expect(published.get(idOf(withheld))!.recipientName).toBe(HIDDEN_RECIPIENT_NAME);
    expect(published.get(idOf(shown))!.recipientName).toBe("Alan Turing");

    // The other recipient withholds theirs later: the set is rewritten at once.
    await setHideName(e, issuer.db, await recipientEmailHash(e.KEY_ENCRYPTION_SECRET, shown), true, "t", log);
    published = await publishedProjections(e, rows.map((r) => r.id));
    expect(published.get(idOf(shown))!.recipientName).toBe(HIDDEN_RECIPIENT_NAME);
  });

  it("tells a changed reading of the choices from the same one", () => {
    const at = new Date(1_000);
    const a = new Map([["c1", { hideName: true, namePrefAt: at }]]);
    expect(choicesChanged(a, new Map([["c1", { hideName: true, namePrefAt: new Date(1_000) }]]))).toBe(false);
    expect(choicesChanged(a, new Map([["c1", { hideName: false, namePrefAt: new Date(2_000) }]]))).toBe(true);
    expect(choicesChanged(new Map(), a)).toBe(true);
  });
});
