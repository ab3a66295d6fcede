// The deployment's operators (admin): GET /v1/operators lists the console accounts that may open
// /ops; PUT /v1/operators/{email} marks an existing account as operator; DELETE withdraws it.
// Only the admin token reaches these: an org's owner cannot make anyone an operator (docs/operations.md).
import { createRoute, z, type OpenAPIHono } from "@hono/zod-openapi";
import { AppError } from "../../shared/http/problem.ts";
import { adminAuth } from "../auth/admin.ts";
import { database } from "../db/client.ts";
import type { OriginHono } from "../env.ts";
import { ADMIN_SECURITY, problems } from "../http/openapi.ts";
import { RecipientEmail } from "../services/issuance/recipient.ts";
import { grantOperator, listOperators, revokeOperator } from "../services/members/operators.ts";

const Operator = z
  .object({
    email: z.string(),
    memberId: z.string(),
    orgSlug: z.string().openapi({ description: "The org the console account belongs to (an operator sees every org's figures on /ops)." }),
    operatorSince: z.string().openapi({ format: "date-time" }),
  })
  .openapi("Operator");

const EmailParam = z.object({
  email: RecipientEmail.openapi({ param: { name: "email", in: "path" }, description: "The console account's e-mail address." }),
});

const noAccount = () => new AppError(404, "NOT_FOUND", "No active console account has this email.");

const listRoute = createRoute({
  method: "get",
  path: "/v1/operators",
  tags: ["Operators"],
  summary: "List the operators (admin)",
  security: ADMIN_SECURITY,
  middleware: [adminAuth()] as const,
  responses: {
    200: { description: "The console accounts that may open /ops", content: { "application/json": { schema: z.object({ operators: z.array(Operator) }).openapi("Operators") } } },
    ...problems(401, 403, 503),
  },
});

const grantRoute = createRoute({
  method: "put",
  path: "/v1/operators/{email}",
  tags: ["Operators"],
  summary: "Make a console account an operator (admin)",
  description: "The account (any org's) may then open /ops from its console session. Idempotent: an operator stays one, since the first grant.",
  security: ADMIN_SECURITY,
  middleware: [adminAuth()] as const,
  request: { params: EmailParam },
  responses: {
    200: { description: "The account is an operator", content: { "application/json": { schema: Operator } } },
    ...problems(400, 401, 403, 404, 503),
  },
});

const revokeRoute = createRoute({
  method: "delete",
  path: "/v1/operators/{email}",
  tags: ["Operators"],
  summary: "Withdraw operator access (admin)",
  description: "The account's next /ops request is refused (403); its console session goes on. Idempotent.",
  security: ADMIN_SECURITY,
  middleware: [adminAuth()] as const,
  request: { params: EmailParam },
  responses: { 204: { description: "Not an operator (any more)" }, ...problems(400, 401, 403, 404, 503) },
});

/** Registers the admin operator routes. */
export function registerOperatorRoutes(app: OpenAPIHono<OriginHono>) {
  app.openapi(listRoute, async (c) => {
    c.var.rc.operation = "operators.list";
    return c.json({ operators: await listOperators(database(c.env)) }, 200);
  });

  app.openapi(grantRoute, async (c) => {
    c.var.rc.operation = "operators.grant";
    const granted = await grantOperator(database(c.env), c.req.valid("param").email);
    if (!granted) throw noAccount();
    return c.json(granted, 200);
  });

  app.openapi(revokeRoute, async (c) => {
    c.var.rc.operation = "operators.revoke";
    if (!(await revokeOperator(database(c.env), c.req.valid("param").email))) throw noAccount();
    return c.body(null, 204);
  });
}
