// Tenants (admin): POST /v1/orgs creates an org with its first key, status list and API key;
// POST /v1/orgs/{slug}/api-keys adds an API key to an existing org.
import { createRoute, z, type OpenAPIHono } from "@hono/zod-openapi";
import { AppError } from "../../shared/http/problem.ts";
import { adminAuth } from "../auth/admin.ts";
import { database } from "../db/client.ts";
import type { OriginHono } from "../env.ts";
import { jsonBody } from "../http/body.ts";
import { ADMIN_SECURITY, problems } from "../http/openapi.ts";
import { enqueueAfterCommit } from "../services/jobs/enqueue.ts";
import { addApiKey, createOrg, SLUG_PATTERN } from "../services/orgs/create-org.ts";
import { OrgName } from "../services/orgs/org-profile.ts";
import { HttpsUrl } from "./schemas.ts";
import { addOrgOwner, ensureOwnerEmailFree, OrgOwner } from "../services/members/org-owner.ts";

const Slug = z
  .string()
  .min(3)
  .max(63)
  .regex(SLUG_PATTERN, "lowercase letters, digits and inner hyphens only")
  .openapi({ description: "URL- and did:web-safe name: a-z, 0-9, hyphens; 3-63 characters.", example: "demo-university" });

const CreateOrgBody = z
  .object({
    name: OrgName.openapi({ example: "Laurel Demo University" }),
    slug: Slug,
    url: HttpsUrl.optional().openapi({ description: "The issuer's homepage, shown in credentials." }),
    owner: OrgOwner.optional(),
  })
  .openapi("CreateOrgRequest");

const CreatedOrg = z
  .object({
    id: z.string().uuid(),
    slug: z.string(),
    name: z.string(),
    apiKey: z.string().openapi({ description: "Shown once; store it now. Send as Authorization: Bearer <apiKey>." }),
    ownerSetupUrl: z
      .string()
      .optional()
      .openapi({ format: "uri", description: "With `owner`: the owner's one-time console setup link (valid 24 h), where they set a password." }),
  })
  .openapi("CreatedOrg");

const createOrgRoute = createRoute({
  method: "post",
  path: "/v1/orgs",
  tags: ["Orgs"],
  summary: "Create an org (admin)",
  description:
    "Creates the org with its first ES256 signing key, status list and API key. With `owner`, also the org's first console " +
    "member (role owner) and a one-time `ownerSetupUrl` (24 h) where they set a password; 409 MEMBER_EXISTS when that " +
    "email already has a console account.",
  security: ADMIN_SECURITY,
  middleware: [adminAuth(), jsonBody()] as const,
  request: { body: { required: true, content: { "application/json": { schema: CreateOrgBody } } } },
  responses: {
    201: { description: "Created", content: { "application/json": { schema: CreatedOrg } } },
    ...problems(400, 401, 403, 409, 413, 415, 503),
  },
});

const addKeyRoute = createRoute({
  method: "post",
  path: "/v1/orgs/{slug}/api-keys",
  tags: ["Orgs"],
  summary: "Add an API key to an org (admin)",
  security: ADMIN_SECURITY,
  middleware: [adminAuth()] as const,
  request: { params: z.object({ slug: Slug }) },
  responses: {
    201: {
      description: "Created",
      content: { "application/json": { schema: z.object({ id: z.string(), orgId: z.string(), apiKey: z.string() }).openapi("CreatedApiKey") } },
    },
    ...problems(400, 401, 403, 404, 409, 503),
  },
});

/** Registers the admin org routes. */
export function registerOrgRoutes(app: OpenAPIHono<OriginHono>) {
  app.openapi(createOrgRoute, async (c) => {
    c.var.rc.operation = "orgs.create";
    const body = c.req.valid("json");
    const db = database(c.env);
    if (body.owner) await ensureOwnerEmailFree(db, body.owner);
    const org = await createOrg(db, c.env, body);
    c.var.rc.orgId = org.id;
    const requestId = c.var.rc.requestId;
    await enqueueAfterCommit(
      c.env,
      [
        { type: "issuer.publish", orgId: org.id, requestId },
        { type: "status-list.publish", statusListId: org.statusListId, requestId },
      ],
      c.var.rc.log,
    );
    const ownerSetupUrl = body.owner ? await addOrgOwner(db, c.env, org.id, body.owner) : undefined;
    return c.json({ id: org.id, slug: org.slug, name: org.name, apiKey: org.apiKey, ...(ownerSetupUrl ? { ownerSetupUrl } : {}) }, 201);
  });

  app.openapi(addKeyRoute, async (c) => {
    c.var.rc.operation = "orgs.api-keys.create";
    const created = await addApiKey(database(c.env), c.req.valid("param").slug);
    if (!created) throw new AppError(404, "NOT_FOUND", "No org has this slug.");
    c.var.rc.orgId = created.orgId;
    return c.json(created, 201);
  });
}
