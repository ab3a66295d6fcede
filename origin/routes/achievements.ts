// Achievements: POST /v1/achievements, GET /v1/achievements/{id}, GET /v1/achievements, and the
// one part that can change, the certificate template: PUT /v1/achievements/{id}/certificate.
import { createRoute, z, type OpenAPIHono } from "@hono/zod-openapi";
import { AppError } from "../../shared/http/problem.ts";
import { apiKeyAuth } from "../auth/api-key.ts";
import { scopeSecurity } from "../auth/scopes.ts";
import { database } from "../db/client.ts";
import type { OriginHono } from "../env.ts";
import { jsonBody } from "../http/body.ts";
import { problems } from "../http/openapi.ts";
import { decodeCursor, PageQuery, pageOf } from "../http/pagination.ts";
import {
  achievementView,
  createAchievement,
  findAchievement,
  listAchievements,
} from "../services/achievements/achievements.ts";
import {
  CertificateTemplateInput,
  CertificateTemplateSchema,
  DEFAULT_TEMPLATE,
  saveTemplate,
  templateOf,
  templatesOf,
} from "../services/certificates/template.ts";
import { HttpsUrl, IdParam } from "./schemas.ts";

export const CreateAchievementBody = z
  .object({
    name: z.string().trim().min(1).max(200).openapi({ example: "Introduction to Cryptography" }),
    description: z.string().trim().min(1).max(2000).openapi({ example: "Completed the 10-week course with a passing grade." }),
    criteria: z.object({
      narrative: z.string().trim().min(1).max(10_000).openapi({ example: "Pass all quizzes and the final exam." }),
    }),
    imageUrl: HttpsUrl.optional(),
    tags: z.array(z.string().trim().min(1).max(50)).max(20).optional().openapi({ example: ["cryptography"] }),
    notifyRecipients: z
      .boolean()
      .optional()
      .openapi({ description: "Email each recipient when a credential of this achievement is issued (default true; docs/recipients.md)." }),
    certificate: CertificateTemplateInput.optional().openapi({ description: "How its printable certificates look (defaults: A4, the house green, \"Certificate of achievement\")." }),
  })
  .openapi("CreateAchievementRequest");

export const AchievementSchema = z
  .object({
    id: z.string().uuid(),
    name: z.string(),
    description: z.string(),
    criteria: z.object({ narrative: z.string() }),
    imageUrl: z.string().nullable(),
    tags: z.array(z.string()),
    notifyRecipients: z.boolean(),
    certificate: CertificateTemplateSchema,
    createdAt: z.string().openapi({ format: "date-time" }),
  })
  .openapi("Achievement");

const createRouteDef = createRoute({
  method: "post",
  path: "/v1/achievements",
  tags: ["Achievements"],
  summary: "Create an achievement",
  security: scopeSecurity("issue"),
  middleware: [apiKeyAuth("issue"), jsonBody()] as const,
  request: { body: { required: true, content: { "application/json": { schema: CreateAchievementBody } } } },
  responses: {
    201: { description: "Created", content: { "application/json": { schema: AchievementSchema } } },
    ...problems(400, 401, 403, 413, 415),
  },
});

const getRouteDef = createRoute({
  method: "get",
  path: "/v1/achievements/{id}",
  tags: ["Achievements"],
  summary: "Get an achievement",
  security: scopeSecurity("read"),
  middleware: [apiKeyAuth("read")] as const,
  request: { params: IdParam },
  responses: {
    200: { description: "The achievement", content: { "application/json": { schema: AchievementSchema } } },
    ...problems(400, 401, 403, 404),
  },
});

const listRouteDef = createRoute({
  method: "get",
  path: "/v1/achievements",
  tags: ["Achievements"],
  summary: "List achievements, newest first",
  security: scopeSecurity("read"),
  middleware: [apiKeyAuth("read")] as const,
  request: { query: PageQuery },
  responses: {
    200: {
      description: "One page",
      content: {
        "application/json": {
          schema: z
            .object({ data: z.array(AchievementSchema), nextCursor: z.string().nullable() })
            .openapi("AchievementPage"),
        },
      },
    },
    ...problems(400, 401, 403),
  },
});

const putCertificateRouteDef = createRoute({
  method: "put",
  path: "/v1/achievements/{id}/certificate",
  tags: ["Achievements"],
  summary: "Set the achievement's certificate template",
  description:
    "Replaces the template (members left out take their defaults). Certificates rendered from now on use it: those of new " +
    "credentials, and any certificate rendered again (e.g. on revocation); a certificate already rendered keeps its look.",
  security: scopeSecurity("issue"),
  middleware: [apiKeyAuth("issue"), jsonBody()] as const,
  request: { params: IdParam, body: { required: true, content: { "application/json": { schema: CertificateTemplateInput } } } },
  responses: {
    200: { description: "The achievement with its template", content: { "application/json": { schema: AchievementSchema } } },
    ...problems(400, 401, 403, 404, 413, 415),
  },
});

/** Registers the achievement routes. */
export function registerAchievementRoutes(app: OpenAPIHono<OriginHono>) {
  app.openapi(createRouteDef, async (c) => {
    c.var.rc.operation = "achievements.create";
    const db = database(c.env);
    const { certificate, ...fields } = c.req.valid("json");
    const row = await createAchievement(db, c.var.org.id, fields);
    const template = certificate ? await saveTemplate(db, c.var.org.id, row.id, certificate) : { ...DEFAULT_TEMPLATE };
    return c.json({ ...achievementView(row), certificate: template }, 201);
  });

  app.openapi(getRouteDef, async (c) => {
    c.var.rc.operation = "achievements.get";
    const db = database(c.env);
    const row = await findAchievement(db, c.var.org.id, c.req.valid("param").id);
    if (!row) throw new AppError(404, "NOT_FOUND", "No achievement with this id.");
    return c.json({ ...achievementView(row), certificate: await templateOf(db, row.id) }, 200);
  });

  app.openapi(putCertificateRouteDef, async (c) => {
    c.var.rc.operation = "achievements.certificate.put";
    const db = database(c.env);
    const row = await findAchievement(db, c.var.org.id, c.req.valid("param").id);
    if (!row) throw new AppError(404, "NOT_FOUND", "No achievement with this id.");
    const template = await saveTemplate(db, c.var.org.id, row.id, c.req.valid("json"));
    return c.json({ ...achievementView(row), certificate: template }, 200);
  });

  app.openapi(listRouteDef, async (c) => {
    c.var.rc.operation = "achievements.list";
    const { limit, cursor } = c.req.valid("query");
    const db = database(c.env);
    const rows = await listAchievements(db, c.var.org.id, decodeCursor(cursor), limit + 1);
    const page = pageOf(rows, limit, (r) => ({ at: r.createdAt.getTime(), id: r.id }));
    const templates = await templatesOf(db, page.data.map((r) => r.id));
    return c.json({ data: page.data.map((r) => ({ ...achievementView(r), certificate: templates.get(r.id)! })), nextCursor: page.nextCursor }, 200);
  });
}
