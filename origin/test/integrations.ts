// Test support for LMS integrations: scenarios on the fake Canvas/Moodle server started by
// local/fake-lms/global-setup.ts, an environment whose laurel-integrations queue keeps the steps
// sent (so the test drives them through the real consumer, one batch at a time), and API calls.
import { inject } from "vitest";
import type { OriginEnv } from "../env.ts";
import { INTEGRATIONS_QUEUE, type IntegrationSyncJob } from "../queues/integrations.ts";
import { consumeIntegrationSyncs } from "../queues/integrations.consumer.ts";
import { appEnv, call, type TestOrg } from "./api.ts";
import { deliverTo } from "./queue-fixtures.ts";

declare module "vitest" {
  export interface ProvidedContext {
    /** The fake LMS server's URL (local/fake-lms/global-setup.ts). */
    fakeLmsUrl: string;
  }
}

export const fakeLmsUrl = (): string => inject("fakeLmsUrl");

export interface FakeScenario {
  id: string;
  baseUrl: string;
  change(change: Record<string, unknown>): Promise<void>;
  requestCount(): Promise<number>;
}

/** A new course on the fake LMS (options: local/fake-lms/scenario.ts). */
export async function fakeCourse(options: Record<string, unknown>): Promise<FakeScenario> {
  const res = await fetch(`${fakeLmsUrl()}/__scenarios`, { method: "POST", body: JSON.stringify(options) });
  if (res.status !== 201) throw new Error(`fake LMS: ${res.status}`);
  const { id, baseUrl } = (await res.json()) as { id: string; baseUrl: string };
  return {
    id,
    baseUrl,
    async change(change) {
      const r = await fetch(`${fakeLmsUrl()}/__scenarios/${id}`, { method: "POST", body: JSON.stringify(change) });
      await r.arrayBuffer();
    },
    async requestCount() {
      const r = await fetch(`${fakeLmsUrl()}/__scenarios/${id}/requests`);
      return ((await r.json()) as { count: number }).count;
    },
  };
}

/** A Queue keeping the steps sent. */
export class StepQueue {
  sent: IntegrationSyncJob[] = [];
  async send(body: IntegrationSyncJob): Promise<void> {
    this.sent.push(body);
  }
  take(): IntegrationSyncJob[] {
    return this.sent.splice(0);
  }
}

export type LmsTestEnv = OriginEnv & { INTEGRATIONS: StepQueue & Queue };

/** The app's test environment with a StepQueue and loopback LMS URLs allowed (the fakes listen on 127.0.0.1). */
export function lmsEnv(): LmsTestEnv {
  return { ...appEnv, INTEGRATIONS: new StepQueue() as StepQueue & Queue, ALLOW_LOCAL_HTTP_TARGETS: "true" };
}

/** Delivers steps to the consumer as one batch, with `attempts`; returns the retried ones with their delays. */
export async function deliverSteps(e: OriginEnv, jobs: IntegrationSyncJob[], attempts = 1) {
  const result = await deliverTo(INTEGRATIONS_QUEUE, consumeIntegrationSyncs, e, jobs, attempts);
  return result.retryMessages.map((r) => ({ job: jobs[result.ids.indexOf(r.msgId)]!, delaySeconds: r.delaySeconds }));
}

/**
 * Runs the queued steps through the consumer until none are left, as the queue would: a retried
 * step is delivered again (at once: the fakes' failures are counted, not timed) with one more
 * attempt. Returns the retry delays asked for.
 */
export async function runQueuedSteps(e: LmsTestEnv, maxRounds = 400): Promise<number[]> {
  const retryDelays: number[] = [];
  let retried: { job: IntegrationSyncJob; attempts: number }[] = [];
  for (let round = 0; round < maxRounds; round++) {
    const fresh = e.INTEGRATIONS.take().map((job) => ({ job, attempts: 1 }));
    const due = [...retried, ...fresh];
    retried = [];
    if (due.length === 0) return retryDelays;
    // Steps with the same attempt count go in one batch, so steps of overlapping syncs run side by side.
    for (const attempts of new Set(due.map((d) => d.attempts))) {
      const again = await deliverSteps(e, due.filter((d) => d.attempts === attempts).map((d) => d.job), attempts);
      for (const r of again) {
        retryDelays.push(r.delaySeconds ?? 0);
        retried.push({ job: r.job, attempts: attempts + 1 });
      }
    }
  }
  throw new Error(`sync steps kept coming after ${maxRounds} rounds`);
}

/** POST /v1/integrations; returns the answer. */
export function createIntegrationCall(e: OriginEnv, org: TestOrg, body: Record<string, unknown>, token = org.apiKey): Promise<Response> {
  return call("/v1/integrations", { method: "POST", token, json: body }, e);
}

/** Creates an integration for `course`; returns its id. */
export async function connect(e: OriginEnv, org: TestOrg, achievementId: string, course: FakeScenario, kind: "canvas" | "moodle", extra: Record<string, unknown> = {}): Promise<string> {
  const res = await createIntegrationCall(e, org, { kind, name: `Fake ${kind}`, baseUrl: course.baseUrl, token: "fake-token", courseId: "101", achievementId, requestsPerSecond: 50, maxConcurrency: 4, ...extra });
  if (res.status !== 201) throw new Error(`integration creation failed: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { id: string }).id;
}

export interface SyncAnswer {
  id: string;
  status: string;
  learnersSeen: number;
  completionsSeen: number;
  credentialsIssued: number;
  skipped: number;
  errorCount: number;
  errors: { lmsUserId: string; code: string; detail: string; record: string | null }[];
  failureReason: string | null;
}

/** POST …/sync, run every step, then GET the sync. */
export async function syncNow(e: LmsTestEnv, org: TestOrg, integrationId: string): Promise<SyncAnswer> {
  const started = await call(`/v1/integrations/${integrationId}/sync`, { method: "POST", token: org.apiKey }, e);
  if (started.status !== 202) throw new Error(`sync start failed: ${started.status} ${await started.text()}`);
  const { syncId } = (await started.json()) as { syncId: string };
  await runQueuedSteps(e);
  return getSync(e, org, integrationId, syncId);
}

export async function getSync(e: OriginEnv, org: TestOrg, integrationId: string, syncId: string): Promise<SyncAnswer> {
  const res = await call(`/v1/integrations/${integrationId}/syncs/${syncId}`, { token: org.apiKey }, e);
  if (res.status !== 200) throw new Error(`sync read failed: ${res.status} ${await res.text()}`);
  return (await res.json()) as SyncAnswer;
}
