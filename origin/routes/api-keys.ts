// API keys of the org (`manage` scope): create one with chosen scopes (the secret is shown once),
// list them (never the secret), delete one (it answers 401 everywhere within 5 s).
import { createRoute, z, type OpenAPIHono } from "@hono/zod-openapi";
import { AppError } from "../../shared/http/problem.ts";
import { apiKeyAuth } from "../auth/api-key.ts";
import { API_KEY_SCOPES, SCOPE_DESCRIPTIONS, scopeSecurity } from "../auth/scopes.ts";
import { database } from "../db/client.ts";
import type { OriginHono } from "../env.ts";
import { jsonBody } from "../http/body.ts";
import { problems } from "../http/openapi.ts";
import { API_KEY_LIST_LIMIT, createApiKey, deleteApiKey, listApiKeys, MAX_ACTIVE_API_KEYS } from "../services/api-keys/api-keys.ts";
import { IdParam } from "./schemas.ts";

const Scope = z.enum(API_KEY_SCOPES).openapi({
  description: Object.entries(SCOPE_DESCRIPTIONS)
    .map(([scope, what]) => `\`${scope}\`: ${what}`)
    .join("; "),
});

const CreateApiKeyBody = z
  .object({
    name: z.string().trim().min(1).max(100).openapi({ example: "LMS sync" }),
    scopes: z
      .array(Scope)
      .min(1)
      .max(API_KEY_SCOPES.length)
      .refine((s) => new Set(s).size === s.length, { message: "scopes must not repeat" })
      .openapi({ example: ["read", "issue"] }),
  })
  .openapi("CreateApiKeyRequest");

const ApiKeySchema = z
  .object({
    id: z.string().uuid(),
    name: z.string(),
    scopes: z.array(Scope),
    prefix: z.string().openapi({ description: "The key's first characters, to recognise it.", example: "lrl_live_Ab3dE9" }),
    createdAt: z.string().openapi({ format: "date-time" }),
    lastUsedAt: z.string().nullable().openapi({ format: "date-time", description: "Last authenticated request, to the minute." }),
    revokedAt: z.string().nullable().openapi({ format: "date-time", description: "When the key was deleted; null while it works." }),
  })
  .openapi("ApiKey");

const CreatedKey = ApiKeySchema.pick({ id: true, name: true, scopes: true, createdAt: true })
  .extend({ apiKey: z.string().openapi({ description: "The secret: shown only in this answer; store it now." }) })
  .openapi("NewApiKey");

const createKeyRoute = createRoute({
  method: "post",
  path: "/v1/api-keys",
  tags: ["API keys"],
  summary: "Create an API key",
  description: `Scope \`manage\`. The secret is in this answer only. An org holds at most ${MAX_ACTIVE_API_KEYS} keys.`,
  security: scopeSecurity("manage"),
  middleware: [apiKeyAuth("manage"), jsonBody()] as const,
  request: { body: { content: { "application/json": { schema: CreateApiKeyBody } }, required: true } },
  responses: {
    201: { description: "Created", content: { "application/json": { schema: CreatedKey } } },
    ...problems(400, 401, 403, 409, 413, 415),
  },
});

const listKeysRoute = createRoute({
  method: "get",
  path: "/v1/api-keys",
  tags: ["API keys"],
  summary: "List the org's API keys",
  description: `Scope \`manage\`. Newest first, deleted keys included (with \`revokedAt\`), at most ${API_KEY_LIST_LIMIT}. Never the secret.`,
  security: scopeSecurity("manage"),
  middleware: [apiKeyAuth("manage")] as const,
  responses: {
    200: { description: "The keys", content: { "application/json": { schema: z.object({ data: z.array(ApiKeySchema) }).openapi("ApiKeyList") } } },
    ...problems(401, 403),
  },
});

const deleteKeyRoute = createRoute({
  method: "delete",
  path: "/v1/api-keys/{id}",
  tags: ["API keys"],
  summary: "Delete an API key",
  description: "Scope `manage`. The key answers 401 everywhere within 5 seconds. Repeating it is harmless.",
  security: scopeSecurity("manage"),
  middleware: [apiKeyAuth("manage")] as const,
  request: { params: IdParam },
  responses: {
    204: { description: "Deleted" },
    ...problems(400, 401, 403, 404),
  },
});

/** Registers the API-key routes. */
export function registerApiKeyRoutes(app: OpenAPIHono<OriginHono>) {
  app.openapi(createKeyRoute, async (c) => {
    c.var.rc.operation = "api-keys.create";
    const created = await createApiKey(database(c.env), c.var.org.id, c.req.valid("json"));
    return c.json(created, 201);
  });

  app.openapi(listKeysRoute, async (c) => {
    c.var.rc.operation = "api-keys.list";
    return c.json({ data: await listApiKeys(database(c.env), c.var.org.id) }, 200);
  });

  app.openapi(deleteKeyRoute, async (c) => {
    c.var.rc.operation = "api-keys.delete";
    if (!(await deleteApiKey(database(c.env), c.var.org.id, c.req.valid("param").id))) {
      throw new AppError(404, "NOT_FOUND", "No API key with this id.");
    }
    return c.body(null, 204);
  });
}
