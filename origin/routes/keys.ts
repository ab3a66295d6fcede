// Signing keys: GET /v1/keys lists every key (public members only, with revocation and re-sign
// progress), POST /v1/keys/rotate makes a new active key and retires the old one (which keeps
// verifying old credentials), POST /v1/keys/:keyId/revoke retires a compromised key for good.
import { createRoute, z, type OpenAPIHono } from "@hono/zod-openapi";
import { AppError } from "../../shared/http/problem.ts";
import { apiKeyAuth } from "../auth/api-key.ts";
import { scopeSecurity } from "../auth/scopes.ts";
import { database } from "../db/client.ts";
import type { OriginHono } from "../env.ts";
import { jsonBody } from "../http/body.ts";
import { problems } from "../http/openapi.ts";
import { enqueueAfterCommit } from "../services/jobs/enqueue.ts";
import { kickWebhooks } from "../queues/webhooks.ts";
import { isUniqueViolation } from "../services/orgs/create-org.ts";
import { didForSlug } from "../services/publication/public-url.ts";
import { enqueueRevocationJobs, revokeSigningKey } from "../services/signing/revoke-key.ts";
import { listSigningKeys, rotateSigningKey } from "../services/signing/signing-keys.ts";

const KeySchema = z
  .object({
    kid: z.string().openapi({ description: "Key id: the fragment of the JWT header kid (<issuer did>#<kid>)." }),
    alg: z.enum(["ES256", "EdDSA"]),
    status: z.enum(["active", "retired", "revoked"]).openapi({
      description: "active: signs new credentials; retired: rotated out, still published; revoked: removed from did.json and jwks.json.",
    }),
    publicJwk: z.record(z.string(), z.unknown()).openapi({ description: "Public members only." }),
    createdAt: z.string().openapi({ format: "date-time" }),
    retiredAt: z.string().nullable().openapi({ format: "date-time" }),
    revokedAt: z.string().nullable().openapi({ format: "date-time" }),
    reason: z.string().nullable().openapi({ description: "Why the key was revoked (private to the org)." }),
    dataIntegrity: z
      .object({
        verificationMethod: z.string().openapi({ description: "The Multikey verification method id in the issuer's did.json (<issuer did>#<publicKeyMultibase>)." }),
        publicKeyMultibase: z.string(),
      })
      .nullable()
      .openapi({
        description:
          "The Ed25519 key paired with this key for Data Integrity proofs (eddsa-rdfc-2022): made, retired and revoked with it. " +
          "Null on a key made before Data Integrity that never became the signing key again.",
      }),
    resign: z
      .object({ total: z.number().int(), done: z.number().int() })
      .nullable()
      .openapi({ description: "For a revoked key: credentials it had signed, and how many are re-signed with the active key." }),
  })
  .openapi("SigningKey");

const listRoute = createRoute({
  method: "get",
  path: "/v1/keys",
  tags: ["Keys"],
  summary: "List the org's signing keys, oldest first",
  description: "Scope `read`.",
  security: scopeSecurity("read"),
  middleware: [apiKeyAuth("read")] as const,
  responses: {
    200: { description: "Every key the org ever signed with", content: { "application/json": { schema: z.array(KeySchema) } } },
    ...problems(401, 403),
  },
});

const rotateRoute = createRoute({
  method: "post",
  path: "/v1/keys/rotate",
  tags: ["Keys"],
  summary: "Rotate the signing key",
  description: "Scope `manage`. New credentials are signed with the new key; retired keys stay in the DID document.",
  security: scopeSecurity("manage"),
  middleware: [apiKeyAuth("manage")] as const,
  responses: {
    201: { description: "Rotated", content: { "application/json": { schema: z.object({ kid: z.string() }).openapi("RotatedKey") } } },
    ...problems(401, 403),
  },
});

const RevokeKeyBody = z
  .object({ reason: z.string().trim().min(1).max(500).openapi({ example: "Private key exposed in a build log" }) })
  .openapi("RevokeKeyRequest");

const revokeRoute = createRoute({
  method: "post",
  path: "/v1/keys/{keyId}/revoke",
  tags: ["Keys"],
  summary: "Revoke a compromised signing key",
  description:
    "Scope `manage`. The key leaves the issuer's did.json and jwks.json; until re-signed, credentials it signed verify as " +
    "`invalid` (signing key revoked). Every credential and status list it signed is re-signed with the active key " +
    "(same ids, same status entries) on the queue; follow `resign` in GET /v1/keys. Revoking the active key first " +
    "rotates to a new one. Repeating the call is harmless.",
  security: scopeSecurity("manage"),
  middleware: [apiKeyAuth("manage"), jsonBody()] as const,
  request: {
    params: z.object({
      keyId: z
        .string()
        .min(1)
        .max(128)
        .openapi({ param: { name: "keyId", in: "path" }, description: "The key's kid, or its paired Ed25519 key's publicKeyMultibase (the pair is revoked together)." }),
    }),
    body: { content: { "application/json": { schema: RevokeKeyBody } }, required: true },
  },
  responses: {
    202: { description: "Revoked; re-signing runs on the queue", content: { "application/json": { schema: KeySchema } } },
    ...problems(400, 401, 403, 404, 409, 413, 415),
  },
});

type KeyRow = Awaited<ReturnType<typeof listSigningKeys>>[number];

function keyView(k: KeyRow, did: string) {
  return {
    kid: k.kid,
    alg: k.alg,
    status: k.status,
    publicJwk: k.publicJwk,
    createdAt: k.createdAt.toISOString(),
    retiredAt: k.retiredAt ? k.retiredAt.toISOString() : null,
    revokedAt: k.revokedAt ? k.revokedAt.toISOString() : null,
    reason: k.revocationReason,
    dataIntegrity: k.diPublicKeyMultibase
      ? { verificationMethod: `${did}#${k.diPublicKeyMultibase}`, publicKeyMultibase: k.diPublicKeyMultibase }
      : null,
    resign: k.status === "revoked" ? { total: k.resignTotal, done: Math.min(k.resignDone, k.resignTotal) } : null,
  };
}

/** Registers the key routes. */
export function registerKeyRoutes(app: OpenAPIHono<OriginHono>) {
  app.openapi(listRoute, async (c) => {
    c.var.rc.operation = "keys.list";
    const rows = await listSigningKeys(database(c.env), c.var.org.id);
    const did = didForSlug(c.env, c.var.org.slug);
    return c.json(rows.map((k) => keyView(k, did)), 200);
  });

  app.openapi(rotateRoute, async (c) => {
    const rc = c.var.rc;
    rc.operation = "keys.rotate";
    const kid = await rotateSigningKey(database(c.env), c.env, c.var.org.id, rc.requestId, rc.trace);
    await enqueueAfterCommit(c.env, [{ type: "issuer.publish", orgId: c.var.org.id, requestId: rc.requestId }], rc.log);
    await kickWebhooks(c.env, c.var.org.id, rc.requestId, rc.log); // key.rotated
    return c.json({ kid }, 201);
  });

  app.openapi(revokeRoute, async (c) => {
    const rc = c.var.rc;
    rc.operation = "keys.revoke";
    const db = database(c.env);
    const orgId = c.var.org.id;
    const { keyId } = c.req.valid("param");
    let revoked: Awaited<ReturnType<typeof revokeSigningKey>>;
    try {
      revoked = await revokeSigningKey(db, c.env, orgId, keyId, c.req.valid("json").reason);
    } catch (error) {
      // A rotation or revocation committed between our read and our write (one active key per org).
      if (isUniqueViolation(error, "signing_keys.org_id")) {
        throw new AppError(409, "KEY_CHANGED", "The org's signing keys changed during this call; repeat it.");
      }
      throw error;
    }
    if (!revoked) throw new AppError(404, "NOT_FOUND", "No signing key with this id.");
    rc.log.info("signing key revoked", { kid: revoked.kid, replacedBy: revoked.replacedBy, changed: revoked.changed });
    await enqueueRevocationJobs(db, c.env, orgId, revoked.kid, rc.requestId, rc.log);
    const key = (await listSigningKeys(db, orgId)).find((k) => k.kid === revoked.kid)!;
    return c.json(keyView(key, didForSlug(c.env, c.var.org.slug)), 202);
  });
}
