// Achievements: POST /v1/achievements, GET /v1/achievements/{id}, GET /v1/achievements.
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

/** Registers the achievement routes. */
export function registerAchievementRoutes(app: OpenAPIHono<OriginHono>) {
  app.openapi(createRouteDef, async (c) => {
    c.var.rc.operation = "achievements.create";
    const row = await createAchievement(database(c.env), c.var.org.id, c.req.valid("json"));
    return c.json(achievementView(row), 201);
  });

  app.openapi(getRouteDef, async (c) => {
    c.var.rc.operation = "achievements.get";
    const row = await findAchievement(database(c.env), c.var.org.id, c.req.valid("param").id);
    if (!row) throw new AppError(404, "NOT_FOUND", "No achievement with this id.");
    return c.json(achievementView(row), 200);
  });

  app.openapi(listRouteDef, async (c) => {
    c.var.rc.operation = "achievements.list";
    const { limit, cursor } = c.req.valid("query");
    const rows = await listAchievements(database(c.env), c.var.org.id, decodeCursor(cursor), limit + 1);
    const page = pageOf(rows, limit, (r) => ({ at: r.createdAt.getTime(), id: r.id }));
    return c.json({ data: page.data.map(achievementView), nextCursor: page.nextCursor }, 200);
  });
}
