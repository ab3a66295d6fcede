// LMS integrations (docs/integrations.md): configure a Canvas or Moodle course whose completions
// earn an achievement (scope `manage`), trigger a sync (scope `issue`), read integrations and their
// sync history (scope `read`). Another org's ids answer 404.
import { createRoute, z, type OpenAPIHono } from "@hono/zod-openapi";
import { AppError } from "../../shared/http/problem.ts";
import { apiKeyAuth } from "../auth/api-key.ts";
import { scopeSecurity } from "../auth/scopes.ts";
import { database, type Database } from "../db/client.ts";
import type { OriginEnv, OriginHono } from "../env.ts";
import { jsonBody } from "../http/body.ts";
import { problems } from "../http/openapi.ts";
import { decodeCursor, PageQuery, pageOf } from "../http/pagination.ts";
import { findAchievement } from "../services/achievements/achievements.ts";
import { startSync } from "../services/integrations/start-sync.ts";
import { createIntegration, deleteIntegration, findIntegration, listIntegrations, updateIntegration, type IntegrationRow } from "../services/integrations/store.ts";
import { findSync, latestSyncs, listSyncs, syncCounts, syncErrors, type SyncRow } from "../services/integrations/sync-store.ts";
import { integrationView, syncView, type SyncView } from "../services/integrations/views.ts";
import { requireTargetUrl } from "../services/outbound/target-url.ts";
import {
  CreateIntegrationBody,
  IntegrationIdParam,
  IntegrationSchema,
  MOODLE_COURSE_ID,
  MOODLE_COURSE_RULE,
  SyncParams,
  SyncSchema,
  UpdateIntegrationBody,
} from "./integrations.schemas.ts";

const TAG = "LMS integrations";
const json = <T extends z.ZodType>(schema: T, description: string) => ({ description, content: { "application/json": { schema } } });

const createDef = createRoute({
  method: "post",
  path: "/v1/integrations",
  tags: [TAG],
  summary: "Connect an LMS course",
  description: "Scope `manage`. The token is encrypted at rest and never answered. `baseUrl` must be a public https URL (422 URL_NOT_ALLOWED).",
  security: scopeSecurity("manage"),
  middleware: [apiKeyAuth("manage"), jsonBody()] as const,
  request: { body: { required: true, content: { "application/json": { schema: CreateIntegrationBody } } } },
  responses: { 201: json(IntegrationSchema, "Created"), ...problems(400, 401, 403, 404, 413, 415, 422) },
});

const listDef = createRoute({
  method: "get",
  path: "/v1/integrations",
  tags: [TAG],
  summary: "List LMS integrations, newest first",
  security: scopeSecurity("read"),
  middleware: [apiKeyAuth("read")] as const,
  request: { query: PageQuery },
  responses: {
    200: json(z.object({ data: z.array(IntegrationSchema), nextCursor: z.string().nullable() }).openapi("IntegrationPage"), "One page"),
    ...problems(400, 401, 403),
  },
});

const getDef = createRoute({
  method: "get",
  path: "/v1/integrations/{id}",
  tags: [TAG],
  summary: "Get an LMS integration, its last sync and next scheduled sync",
  security: scopeSecurity("read"),
  middleware: [apiKeyAuth("read")] as const,
  request: { params: IntegrationIdParam },
  responses: { 200: json(IntegrationSchema, "The integration"), ...problems(400, 401, 403, 404) },
});

const updateDef = createRoute({
  method: "patch",
  path: "/v1/integrations/{id}",
  tags: [TAG],
  summary: "Change an LMS integration",
  description: "Scope `manage`. Fields left out keep their value; `schedule: null` stops scheduled syncs. The kind cannot change.",
  security: scopeSecurity("manage"),
  middleware: [apiKeyAuth("manage"), jsonBody()] as const,
  request: { params: IntegrationIdParam, body: { required: true, content: { "application/json": { schema: UpdateIntegrationBody } } } },
  responses: { 200: json(IntegrationSchema, "The integration"), ...problems(400, 401, 403, 404, 413, 415, 422) },
});

const deleteDef = createRoute({
  method: "delete",
  path: "/v1/integrations/{id}",
  tags: [TAG],
  summary: "Delete an LMS integration",
  description: "Scope `manage`. Its sync history goes with it; credentials it issued stay valid.",
  security: scopeSecurity("manage"),
  middleware: [apiKeyAuth("manage")] as const,
  request: { params: IntegrationIdParam },
  responses: { 204: { description: "Deleted" }, ...problems(400, 401, 403, 404) },
});

const syncDef = createRoute({
  method: "post",
  path: "/v1/integrations/{id}/sync",
  tags: [TAG],
  summary: "Start a sync now",
  description:
    "Scope `issue`. Queues a sync and answers at once; follow it at `GET /v1/integrations/{id}/syncs/{syncId}`. " +
    "Every completion is issued at most once per integration, course and LMS user, however many syncs run.",
  security: scopeSecurity("issue"),
  middleware: [apiKeyAuth("issue")] as const,
  request: { params: IntegrationIdParam },
  responses: { 202: json(z.object({ syncId: z.string().uuid() }).openapi("SyncStarted"), "Queued"), ...problems(400, 401, 403, 404) },
});

const listSyncsDef = createRoute({
  method: "get",
  path: "/v1/integrations/{id}/syncs",
  tags: [TAG],
  summary: "The sync history, newest first",
  security: scopeSecurity("read"),
  middleware: [apiKeyAuth("read")] as const,
  request: { params: IntegrationIdParam, query: PageQuery },
  responses: {
    200: json(z.object({ data: z.array(SyncSchema), nextCursor: z.string().nullable() }).openapi("IntegrationSyncPage"), "One page"),
    ...problems(400, 401, 403, 404),
  },
});

const getSyncDef = createRoute({
  method: "get",
  path: "/v1/integrations/{id}/syncs/{syncId}",
  tags: [TAG],
  summary: "One sync: status, counts and errors",
  security: scopeSecurity("read"),
  middleware: [apiKeyAuth("read")] as const,
  request: { params: SyncParams },
  responses: { 200: json(SyncSchema, "The sync"), ...problems(400, 401, 403, 404) },
});

const integrationNotFound = () => new AppError(404, "NOT_FOUND", "No integration with this id.");

async function requireIntegration(db: Database, orgId: string, id: string): Promise<IntegrationRow> {
  const row = await findIntegration(db, orgId, id);
  if (!row) throw integrationNotFound();
  return row;
}

/**
 * The settings of a create or an update, checked against what the schema cannot know: `baseUrl`
 * must be a public target (normalised here), `achievementId` one of the org's achievements, and a
 * Moodle course id a number (an update does not carry the kind, so its schema cannot check that).
 * Fields left out are not checked.
 */
async function checkSettings<T extends { baseUrl?: string; achievementId?: string; courseId?: string }>(
  db: Database,
  env: OriginEnv,
  orgId: string,
  kind: IntegrationRow["kind"],
  settings: T,
): Promise<T> {
  const checked = { ...settings };
  if (checked.baseUrl !== undefined) checked.baseUrl = requireTargetUrl("baseUrl", checked.baseUrl, env).toString();
  if (checked.achievementId !== undefined && !(await findAchievement(db, orgId, checked.achievementId))) {
    throw new AppError(404, "ACHIEVEMENT_NOT_FOUND", "achievementId: no achievement with this id.");
  }
  if (kind === "moodle" && checked.courseId !== undefined && !MOODLE_COURSE_ID.test(checked.courseId)) {
    throw new AppError(400, "VALIDATION_FAILED", `courseId: ${MOODLE_COURSE_RULE}`, {
      errors: [{ field: "courseId", rule: "custom", detail: MOODLE_COURSE_RULE }],
    });
  }
  return checked;
}

async function integrationViewOf(db: Database, row: IntegrationRow) {
  const [view] = await integrationViews(db, [row]);
  return view!;
}

/** Views of syncs with their counts and first `errorsEach` errors. */
async function syncViews(db: Database, rows: SyncRow[], errorsEach: number): Promise<SyncView[]> {
  const counts = await syncCounts(db, rows.map((r) => r.id));
  return Promise.all(
    rows.map(async (r) => {
      const c = counts.get(r.id)!;
      const errors = c.errors > 0 ? (await syncErrors(db, r.id)).slice(0, errorsEach) : [];
      return syncView(r, c, errors);
    }),
  );
}

async function integrationViews(db: Database, rows: IntegrationRow[]) {
  const latest = await latestSyncs(db, rows.map((r) => r.id));
  const syncs = await syncViews(db, [...latest.values()], 20);
  const byIntegration = new Map(syncs.map((s) => [s.integrationId, s]));
  return rows.map((r) => integrationView(r, byIntegration.get(r.id) ?? null));
}

/** Registers the integration routes. */
export function registerIntegrationRoutes(app: OpenAPIHono<OriginHono>) {
  app.openapi(createDef, async (c) => {
    c.var.rc.operation = "integrations.create";
    const db = database(c.env);
    const body = c.req.valid("json");
    const settings = await checkSettings(db, c.env, c.var.org.id, body.kind, body);
    const row = await createIntegration(db, c.env.KEY_ENCRYPTION_SECRET, c.var.org.id, settings);
    return c.json(await integrationViewOf(db, row), 201);
  });

  app.openapi(listDef, async (c) => {
    c.var.rc.operation = "integrations.list";
    const { limit, cursor } = c.req.valid("query");
    const db = database(c.env);
    const rows = await listIntegrations(db, c.var.org.id, decodeCursor(cursor), limit + 1);
    const page = pageOf(rows, limit, (r) => ({ at: r.createdAt.getTime(), id: r.id }));
    return c.json({ data: await integrationViews(db, page.data), nextCursor: page.nextCursor }, 200);
  });

  app.openapi(getDef, async (c) => {
    c.var.rc.operation = "integrations.get";
    const db = database(c.env);
    const row = await requireIntegration(db, c.var.org.id, c.req.valid("param").id);
    return c.json(await integrationViewOf(db, row), 200);
  });

  app.openapi(updateDef, async (c) => {
    c.var.rc.operation = "integrations.update";
    const db = database(c.env);
    const { id } = c.req.valid("param");
    const existing = await requireIntegration(db, c.var.org.id, id);
    const patch = await checkSettings(db, c.env, c.var.org.id, existing.kind, c.req.valid("json"));
    const row = await updateIntegration(db, c.env.KEY_ENCRYPTION_SECRET, c.var.org.id, id, patch);
    if (!row) throw integrationNotFound();
    return c.json(await integrationViewOf(db, row), 200);
  });

  app.openapi(deleteDef, async (c) => {
    c.var.rc.operation = "integrations.delete";
    const deleted = await deleteIntegration(database(c.env), c.var.org.id, c.req.valid("param").id);
    if (!deleted) throw integrationNotFound();
    return c.body(null, 204);
  });

  app.openapi(syncDef, async (c) => {
    c.var.rc.operation = "integrations.sync";
    const db = database(c.env);
    const integration = await requireIntegration(db, c.var.org.id, c.req.valid("param").id);
    const sync = await startSync(c.env, db, integration, "api", c.var.rc.requestId, c.var.rc.log);
    return c.json({ syncId: sync.id }, 202);
  });

  app.openapi(listSyncsDef, async (c) => {
    c.var.rc.operation = "integrations.syncs.list";
    const db = database(c.env);
    const integration = await requireIntegration(db, c.var.org.id, c.req.valid("param").id);
    const { limit, cursor } = c.req.valid("query");
    const rows = await listSyncs(db, integration.id, decodeCursor(cursor), limit + 1);
    const page = pageOf(rows, limit, (r) => ({ at: r.createdAt.getTime(), id: r.id }));
    return c.json({ data: await syncViews(db, page.data, 20), nextCursor: page.nextCursor }, 200);
  });

  app.openapi(getSyncDef, async (c) => {
    c.var.rc.operation = "integrations.syncs.get";
    const db = database(c.env);
    const { id, syncId } = c.req.valid("param");
    const integration = await requireIntegration(db, c.var.org.id, id);
    const sync = await findSync(db, integration.id, syncId);
    if (!sync) throw new AppError(404, "NOT_FOUND", "No sync with this id.");
    const [view] = await syncViews(db, [sync], 100);
    return c.json(view!, 200);
  });
}
