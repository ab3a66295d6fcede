// Test helpers for the issuer API: requests through the origin app with a queue that records
// jobs (so tests can assert what was enqueued, and background consumers cannot slow them down),
// or through the real Worker entry (exports.default.fetch); orgs with unique slugs (the database
// is shared by the whole run); direct row counts.
import { env } from "cloudflare:test";
import { exports } from "cloudflare:workers";
import { createApp } from "../app.ts";
import { database } from "../db/client.ts";
import type { OriginEnv } from "../env.ts";
import type { Job } from "../queues/jobs.ts";
import { testContext } from "./execution-context.ts";

export const testEnv = env as unknown as OriginEnv;
export const ADMIN = "test-admin-token";
export const BASE = "https://verify.example.test";

/** Every job the app enqueued during this test file (tests filter by id). */
export const sentJobs: Job[] = [];
const recordingQueue = {
  async send(body: Job) {
    sentJobs.push(body);
  },
  async sendBatch(messages: Iterable<{ body: Job }>) {
    for (const m of messages) sentJobs.push(m.body);
  },
} as unknown as Queue;

const app = createApp();
export const appEnv: OriginEnv = { ...testEnv, JOBS: recordingQueue };

type CallInit = RequestInit & { json?: unknown; token?: string };

function buildRequest(path: string, init: CallInit): Request {
  const headers = new Headers(init.headers);
  if (init.token) headers.set("authorization", `Bearer ${init.token}`);
  let body = init.body;
  if (init.json !== undefined) {
    body = JSON.stringify(init.json);
    if (!headers.has("content-type")) headers.set("content-type", "application/json");
  }
  return new Request(`https://origin.test${path}`, { ...init, headers, body });
}

/** A request to the origin app as a client would make it (jobs recorded in `sentJobs`). */
export async function call(path: string, init: CallInit = {}, envOverride: Partial<OriginEnv> = {}): Promise<Response> {
  return app.fetch(buildRequest(path, init), { ...appEnv, ...envOverride }, testContext());
}

/** The same through the deployed Worker entry point (real queue and consumers). */
export function callWorker(path: string, init: CallInit = {}): Promise<Response> {
  const worker = (exports as unknown as { default: { fetch: (r: Request) => Promise<Response> } }).default;
  return worker.fetch(buildRequest(path, init));
}

let counter = 0;
/** A slug no other test of this run uses. */
export function uniqueSlug(prefix = "org"): string {
  counter += 1;
  return `${prefix.toLowerCase()}-${Date.now().toString(36)}-${counter}-${Math.random().toString(36).slice(2, 6)}`;
}

export interface TestOrg {
  id: string;
  slug: string;
  name: string;
  apiKey: string;
}

/** Creates an org through POST /v1/orgs. */
export async function makeOrg(prefix = "org"): Promise<TestOrg> {
  const slug = uniqueSlug(prefix);
  const res = await call("/v1/orgs", { method: "POST", token: ADMIN, json: { name: `Test ${slug}`, slug } });
  if (res.status !== 201) throw new Error(`org creation failed: ${res.status} ${await res.text()}`);
  return (await res.json()) as TestOrg;
}

/** Creates an achievement through POST /v1/achievements. */
export async function makeAchievement(org: TestOrg, extra: Record<string, unknown> = {}): Promise<{ id: string; name: string }> {
  const res = await call("/v1/achievements", {
    method: "POST",
    token: org.apiKey,
    json: { name: "Intro to Testing", description: "Wrote tests that can fail.", criteria: { narrative: "Pass the exam." }, ...extra },
  });
  if (res.status !== 201) throw new Error(`achievement creation failed: ${res.status} ${await res.text()}`);
  return (await res.json()) as { id: string; name: string };
}

/** Issues through POST /v1/credentials with a fresh Idempotency-Key unless one is given. */
export function issue(org: TestOrg, body: unknown, key: string | null = crypto.randomUUID()): Promise<Response> {
  const headers: Record<string, string> = {};
  if (key !== null) headers["idempotency-key"] = key;
  return call("/v1/credentials", { method: "POST", token: org.apiKey, json: body, headers });
}

/** A recipient body for `achievementId`. */
export function credentialBody(achievementId: string, email = `r-${crypto.randomUUID().slice(0, 8)}@example.edu`) {
  return { achievementId, recipient: { name: "Ada Lovelace", email } };
}

/** Rows of a table matching an optional SQL condition (for "nothing was written" checks). */
export async function countRows(table: string, where = "1 = 1", args: (string | number)[] = []): Promise<number> {
  const result = await database(testEnv).$client.execute({ sql: `SELECT count(*) AS n FROM ${table} WHERE ${where}`, args });
  return Number(result.rows[0]?.n ?? 0);
}

/** Asserts nothing about the body but that it is problem+json; returns it. */
export async function problem(res: Response): Promise<{ status: number; code: string; errors?: { field: string; rule: string }[]; requestId: string; detail: string }> {
  const type = res.headers.get("content-type") ?? "";
  if (!type.startsWith("application/problem+json")) throw new Error(`expected problem+json, got ${type}: ${await res.text()}`);
  return (await res.json()) as never;
}
