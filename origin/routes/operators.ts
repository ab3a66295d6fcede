// The deployment's operators (admin): GET /v1/operators lists the console accounts that may open
// /ops; POST /v1/operators {email} marks an existing account as operator; DELETE
// /v1/operators/{memberId} withdraws it. The address travels in the body, not the path: paths reach
// request logs and exported spans, and an e-mail address is personal data.
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

const GrantBody = z.object({ email: RecipientEmail.openapi({ description: "The console account's e-mail address." }) }).openapi("OperatorGrant");

const MemberParam = z.object({
  memberId: z.string().min(1).max(64).openapi({ param: { name: "memberId", in: "path" }, description: "The operator's `memberId` (from the list)." }),
});

const noAccount = () => new AppError(404, "NOT_FOUND", "No active console account has this email.");
const noOperatorAccount = () => new AppError(404, "NOT_FOUND", "No active console account has this id.");

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
  method: "post",
  path: "/v1/operators",
  tags: ["Operators"],
  summary: "Make a console account an operator (admin)",
  description:
    "The account (any org's) may then open /ops from its console session. Idempotent: an operator stays one, since the first grant. " +
    "An invited account that has not finished its setup is refused (409 ACCOUNT_SETUP_PENDING): its setup link may be in the inviter's hands.",
  security: ADMIN_SECURITY,
  middleware: [adminAuth()] as const,
  request: { body: { required: true, content: { "application/json": { schema: GrantBody } } } },
  responses: {
    200: { description: "The account is an operator", content: { "application/json": { schema: Operator } } },
    ...problems(400, 401, 403, 404, 409, 503),
  },
});

const revokeRoute = createRoute({
  method: "delete",
  path: "/v1/operators/{memberId}",
  tags: ["Operators"],
  summary: "Withdraw operator access (admin)",
  description: "The account's next /ops request is refused (403); its console session goes on. Idempotent.",
  security: ADMIN_SECURITY,
  middleware: [adminAuth()] as const,
  request: { params: MemberParam },
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
    const granted = await grantOperator(database(c.env), c.req.valid("json").email);
    if (!granted) throw noAccount();
    if (granted === "setup-pending") {
      throw new AppError(409, "ACCOUNT_SETUP_PENDING", "This console account has not finished its setup (its password is not set); grant operator once it has.");
    }
    return c.json(granted, 200);
  });

  app.openapi(revokeRoute, async (c) => {
    c.var.rc.operation = "operators.revoke";
    if (!(await revokeOperator(database(c.env), c.req.valid("param").memberId))) throw noOperatorAccount();
    return c.body(null, 204);
  });
}
