// The drill's reconciliation: after the stack has drained, what the drill asked for is compared
// with what the stack holds and what arrived. Pure (no I/O), so it is tested on small scenarios
// (reconcile.test.ts); drill.ts gathers the inputs from the API, the database file, the receiver
// and the edge.

/** A credential as the database holds it. */
export interface StoredCredential {
  id: string;
  email: string;
  batchId: string | null;
  status: string;
}

/** A batch the drill uploaded and got accepted (202), with the recipients it sent. */
export interface AcceptedBatch {
  id: string;
  emails: string[];
}

/** A webhook as the receiver recorded it: one entry per webhook-id. */
export interface ObservedWebhook {
  webhookId: string;
  type: string;
  subject: string;
  deliveries: number;
}

export interface ReconcileInput {
  batches: AcceptedBatch[];
  /** Every credential of the drill's org. */
  credentials: StoredCredential[];
  /** Credentials whose revocation the API accepted (200). */
  revoked: string[];
  webhooks: ObservedWebhook[];
  /** Events whose delivery to the drill's endpoint is dead-lettered (`type:subject`). */
  deadLettered: string[];
  /** Each credential's status in the edge's verification JSON ("valid", "revoked", or "http <status>"). */
  edge: Map<string, string>;
}

export interface Check {
  name: string;
  ok: boolean;
  summary: string;
  /** The first few offending items, for diagnosis. */
  examples: string[];
}

export interface Reconciliation {
  ok: boolean;
  checks: Check[];
}

const EXAMPLES = 10;

function check(name: string, problems: string[], summary: string): Check {
  return { name, ok: problems.length === 0, summary, examples: problems.slice(0, EXAMPLES) };
}

/** Every accepted row issued exactly once: one credential per recipient of each batch, none extra. */
function issuedOnce(input: ReconcileInput): Check {
  const problems: string[] = [];
  let duplicates = 0;
  let missing = 0;
  let extra = 0;
  const byBatch = new Map<string, Map<string, number>>();
  for (const c of input.credentials) {
    const key = c.batchId ?? "(single)";
    const counts = byBatch.get(key) ?? new Map<string, number>();
    counts.set(c.email.toLowerCase(), (counts.get(c.email.toLowerCase()) ?? 0) + 1);
    byBatch.set(key, counts);
  }
  const expectedBatches = new Set(input.batches.map((b) => b.id));
  for (const batch of input.batches) {
    const counts = byBatch.get(batch.id) ?? new Map<string, number>();
    const expected = new Set(batch.emails.map((e) => e.toLowerCase()));
    for (const email of expected) {
      const n = counts.get(email) ?? 0;
      if (n === 0) {
        missing++;
        problems.push(`batch ${batch.id}: no credential for ${email}`);
      } else if (n > 1) {
        duplicates += n - 1;
        problems.push(`batch ${batch.id}: ${n} credentials for ${email}`);
      }
    }
    for (const [email, n] of counts) {
      if (!expected.has(email)) {
        extra += n;
        problems.push(`batch ${batch.id}: credential for ${email}, who was not sent`);
      }
    }
  }
  for (const [batchId, counts] of byBatch) {
    if (expectedBatches.has(batchId)) continue;
    const n = [...counts.values()].reduce((a, b) => a + b, 0);
    extra += n;
    problems.push(`${n} credentials outside the accepted batches (${batchId})`);
  }
  const expectedTotal = input.batches.reduce((sum, b) => sum + new Set(b.emails.map((e) => e.toLowerCase())).size, 0);
  return check("issued exactly once", problems, `${input.credentials.length} credentials for ${expectedTotal} accepted rows: ${duplicates} duplicates, ${missing} missing, ${extra} extra`);
}

/** The events the drill's actions must have caused, as `type:subject`. */
export function expectedEvents(input: Pick<ReconcileInput, "batches" | "credentials" | "revoked">): Set<string> {
  const expected = new Set<string>();
  for (const c of input.credentials) expected.add(`credential.issued:${c.id}`);
  for (const c of input.credentials) if (c.status === "revoked") expected.add(`credential.revoked:${c.id}`);
  for (const id of input.revoked) expected.add(`credential.revoked:${id}`);
  for (const b of input.batches) expected.add(`batch.completed:${b.id}`);
  return expected;
}

/** Every expected event delivered (by webhook-id) or dead-lettered; never two webhook-ids for one event. */
function webhooksDelivered(input: ReconcileInput): Check {
  const expected = expectedEvents(input);
  const idsByEvent = new Map<string, Set<string>>();
  let redeliveries = 0;
  for (const w of input.webhooks) {
    const key = `${w.type}:${w.subject}`;
    const ids = idsByEvent.get(key) ?? new Set<string>();
    ids.add(w.webhookId);
    idsByEvent.set(key, ids);
    redeliveries += Math.max(0, w.deliveries - 1);
  }
  const dead = new Set(input.deadLettered);
  const problems: string[] = [];
  let missing = 0;
  let deadCount = 0;
  for (const key of expected) {
    if (idsByEvent.has(key)) continue;
    if (dead.has(key)) deadCount++;
    else {
      missing++;
      problems.push(`${key}: never delivered, not dead-lettered`);
    }
  }
  let conflicting = 0;
  for (const [key, ids] of idsByEvent) {
    if (ids.size > 1) {
      conflicting++;
      problems.push(`${key}: ${ids.size} different webhook-ids (${[...ids].join(", ")})`);
    }
  }
  const unexpected = [...idsByEvent.keys()].filter((key) => !expected.has(key) && !key.startsWith("webhook.test:"));
  for (const key of unexpected) problems.push(`${key}: delivered, but the drill caused no such event`);
  return check(
    "webhooks delivered or dead-lettered",
    problems,
    `${expected.size} events expected: ${expected.size - missing - deadCount} delivered, ${deadCount} dead-lettered, ${missing} missing; ${redeliveries} redeliveries of the same webhook-id (allowed), ${conflicting} events with two webhook-ids, ${unexpected.length} unexpected`,
  );
}

/** Every accepted revocation is in the database and the edge's verification says revoked. */
function revocationsPublished(input: ReconcileInput): Check {
  const stored = new Map(input.credentials.map((c) => [c.id, c]));
  const problems: string[] = [];
  for (const id of input.revoked) {
    if (stored.get(id)?.status !== "revoked") problems.push(`${id}: accepted, but the database says ${stored.get(id)?.status ?? "absent"}`);
    else if (input.edge.get(id) !== "revoked") problems.push(`${id}: the edge says ${input.edge.get(id) ?? "nothing"}`);
  }
  return check("revocations published", problems, `${input.revoked.length} revocations accepted, ${input.revoked.length - problems.length} shown as revoked at the edge`);
}

/** Every credential verifies at the edge: valid, or revoked when it was revoked. */
function nothingLost(input: ReconcileInput): Check {
  const problems: string[] = [];
  for (const c of input.credentials) {
    const want = c.status === "revoked" ? "revoked" : "valid";
    const got = input.edge.get(c.id) ?? "not checked";
    if (got !== want) problems.push(`${c.id}: edge says ${got}, expected ${want}`);
  }
  return check("nothing lost (edge verifies every credential)", problems, `${input.credentials.length - problems.length} of ${input.credentials.length} credentials verify as expected at the edge`);
}

export function reconcile(input: ReconcileInput): Reconciliation {
  const checks = [issuedOnce(input), webhooksDelivered(input), revocationsPublished(input), nothingLost(input)];
  return { ok: checks.every((c) => c.ok), checks };
}
