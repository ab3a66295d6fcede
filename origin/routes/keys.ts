// Signing keys: GET /v1/keys lists every key (public members only), POST /v1/keys/rotate makes a
// new active key and retires the old one (which keeps verifying old credentials).
import { createRoute, z, type OpenAPIHono } from "@hono/zod-openapi";
import { apiKeyAuth } from "../auth/api-key.ts";
import { database } from "../db/client.ts";
import type { OriginHono } from "../env.ts";
import { API_KEY_SECURITY, problems } from "../http/openapi.ts";
import { enqueueAfterCommit } from "../services/jobs/enqueue.ts";
import { listSigningKeys, rotateSigningKey } from "../services/signing/signing-keys.ts";

const KeySchema = z
  .object({
    kid: z.string().openapi({ description: "Key id: the fragment of the JWT header kid (<issuer did>#<kid>)." }),
    alg: z.enum(["ES256", "EdDSA"]),
    status: z.enum(["active", "retired"]),
    publicJwk: z.record(z.string(), z.unknown()).openapi({ description: "Public members only." }),
    createdAt: z.string().openapi({ format: "date-time" }),
    retiredAt: z.string().nullable().openapi({ format: "date-time" }),
  })
  .openapi("SigningKey");

const listRoute = createRoute({
  method: "get",
  path: "/v1/keys",
  tags: ["Keys"],
  summary: "List the org's signing keys, oldest first",
  security: API_KEY_SECURITY,
  middleware: [apiKeyAuth()] as const,
  responses: {
    200: { description: "Every key the org ever signed with", content: { "application/json": { schema: z.array(KeySchema) } } },
    ...problems(401),
  },
});

const rotateRoute = createRoute({
  method: "post",
  path: "/v1/keys/rotate",
  tags: ["Keys"],
  summary: "Rotate the signing key",
  description: "New credentials are signed with the new key; retired keys stay in the DID document.",
  security: API_KEY_SECURITY,
  middleware: [apiKeyAuth()] as const,
  responses: {
    201: { description: "Rotated", content: { "application/json": { schema: z.object({ kid: z.string() }).openapi("RotatedKey") } } },
    ...problems(401),
  },
});

/** Registers the key routes. */
export function registerKeyRoutes(app: OpenAPIHono<OriginHono>) {
  app.openapi(listRoute, async (c) => {
    c.var.rc.operation = "keys.list";
    const rows = await listSigningKeys(database(c.env), c.var.org.id);
    return c.json(
      rows.map((k) => ({
        kid: k.kid,
        alg: k.alg,
        status: k.status,
        publicJwk: k.publicJwk,
        createdAt: k.createdAt.toISOString(),
        retiredAt: k.retiredAt ? k.retiredAt.toISOString() : null,
      })),
      200,
    );
  });

  app.openapi(rotateRoute, async (c) => {
    const rc = c.var.rc;
    rc.operation = "keys.rotate";
    const kid = await rotateSigningKey(database(c.env), c.env, c.var.org.id);
    await enqueueAfterCommit(c.env, [{ type: "issuer.publish", orgId: c.var.org.id, requestId: rc.requestId }], rc.log);
    return c.json({ kid }, 201);
  });
}
