// The recipient-index backfill: credentials without an index row (as those issued before the index
// existed) get the row issuance would have written, in bounded steps that resume where the last one
// stopped; a recipient who had withheld their name has those credentials republished.
import { reset } from "cloudflare:test";
import { afterEach, describe, expect, it } from "vitest";
import { createLogger } from "../../../shared/observability/logger.ts";
import type { Job } from "../../queues/jobs.ts";
import { newIssuer, testEnv } from "../../test/queue-fixtures.ts";
import { issueCredentials } from "../issuance/issue.ts";
import { recipientEmailHash } from "./email-hash.ts";
import { BACKFILL_NAME, backfillRecipientIndex } from "./index-backfill.ts";
import { hasCredentials, setHideName } from "./wallet.ts";

afterEach(() => reset());

const log = createLogger({ service: "test" });

describe("recipient-index backfill", { timeout: 60_000 }, () => {
  it("indexes credentials that have no row, in resumable steps, and republishes withheld names", async () => {
    const e = testEnv();
    const { org, achievement, db } = await newIssuer();
    const email = `old-${crypto.randomUUID().slice(0, 8)}@example.org`;
    const issued = await issueCredentials(e, { org, achievement, recipients: [{ name: "Ada", email }, { name: "Ada", email }], requestId: "t" });
    const ids = issued.map((r) => (r.ok ? r.credentialId : ""));
    const hash = await recipientEmailHash(e.KEY_ENCRYPTION_SECRET, email);
    // As if issued before the index existed, by a recipient who has since withheld their name.
    await db.$client.execute({ sql: "DELETE FROM recipient_credentials WHERE email_hash = ?", args: [hash] });
    await setHideName(e, db, hash, true, "t", log);
    expect(await hasCredentials(db, hash)).toBe(false);
    await db.$client.execute({ sql: "DELETE FROM backfills WHERE name = ?", args: [BACKFILL_NAME] });
    e.JOBS.take();

    // Small steps: the database is shared by the whole test run, so there are many credentials to pass.
    let runs = 0;
    let indexed = 0;
    for (;;) {
      const run = await backfillRecipientIndex(e, "t", log, 2_000);
      runs++;
      indexed += run.indexed;
      if (run.finished) break;
      expect(runs).toBeLessThan(500);
    }
    expect(indexed).toBeGreaterThanOrEqual(2);
    const rows = await db.$client.execute({ sql: "SELECT credential_id FROM recipient_credentials WHERE email_hash = ? ORDER BY credential_id", args: [hash] });
    expect(rows.rows.map((r) => String(r.credential_id))).toEqual([...ids].sort());
    const republished = (e.JOBS.take() as Job[]).filter((j) => j.type === "credential.publish").map((j) => (j as { credentialId: string }).credentialId);
    expect(republished.sort()).toEqual([...ids].sort());

    // Finished: later runs read the state and stop.
    expect(await backfillRecipientIndex(e, "t", log)).toEqual({ scanned: 0, indexed: 0, finished: true });
  });
});
