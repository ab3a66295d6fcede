// The issuer logo: PUT/GET/DELETE /v1/issuer/logo (the org's current logo, scope `manage` to
// change it) and the public image itself at GET /logos/<digest>.<png|jpg>, the URL new
// credentials carry as their issuer's `image` and emails show. docs/recipients.md.
import { createRoute, z, type OpenAPIHono } from "@hono/zod-openapi";
import { mediaTypeOf, readBodyCapped } from "../../shared/http/body.ts";
import { AppError } from "../../shared/http/problem.ts";
import { apiKeyAuth } from "../auth/api-key.ts";
import { scopeSecurity } from "../auth/scopes.ts";
import { database } from "../db/client.ts";
import type { OriginHono } from "../env.ts";
import { problems } from "../http/openapi.ts";
import { checkLogo, currentLogo, LOGO_MAX_BYTES, LOGO_MAX_SIDE, loadLogo, logoUrl, removeLogo, setLogo, type LogoRefusal } from "../services/issuer-profile/logo.ts";

const LogoSchema = z
  .object({
    url: z.string().openapi({ format: "uri", description: "The logo's public URL (immutable: a new logo has a new URL)." }),
    contentType: z.enum(["image/png", "image/jpeg"]),
  })
  .openapi("IssuerLogo");

const ACCEPTED = ["image/png", "image/jpeg"];

/** 422 naming the rule the logo broke. */
function refused(r: LogoRefusal): AppError {
  return new AppError(422, "IMAGE_NOT_ACCEPTED", `The logo ${r.detail}.`, { errors: [{ field: "(body)", rule: r.rule, detail: r.detail }] });
}

const putRoute = createRoute({
  method: "put",
  path: "/v1/issuer/logo",
  tags: ["Issuer"],
  summary: "Set the issuer logo",
  description:
    `The body is the image itself: PNG or JPEG (the format is read from the bytes and must match Content-Type; SVG is not ` +
    `accepted), at most ${LOGO_MAX_BYTES / 1024} KB and ${LOGO_MAX_SIDE}×${LOGO_MAX_SIDE} pixels. Credentials issued from now on ` +
    "carry it as their issuer Profile's `image`; their notification emails and certificates show it. Credentials issued " +
    "before keep what they were issued with.",
  security: scopeSecurity("manage"),
  middleware: [apiKeyAuth("manage")] as const,
  request: {
    body: {
      required: true,
      content: { "image/png": { schema: z.string().openapi({ format: "binary" }) }, "image/jpeg": { schema: z.string().openapi({ format: "binary" }) } },
    },
  },
  responses: {
    200: { description: "The logo now current", content: { "application/json": { schema: LogoSchema } } },
    ...problems(401, 403, 413, 415, 422),
  },
});

const getRoute = createRoute({
  method: "get",
  path: "/v1/issuer/logo",
  tags: ["Issuer"],
  summary: "The issuer logo",
  security: scopeSecurity("read"),
  middleware: [apiKeyAuth("read")] as const,
  responses: {
    200: { description: "The current logo", content: { "application/json": { schema: LogoSchema } } },
    ...problems(401, 403, 404),
  },
});

const deleteRoute = createRoute({
  method: "delete",
  path: "/v1/issuer/logo",
  tags: ["Issuer"],
  summary: "Remove the issuer logo",
  description: "Credentials issued from now on have no issuer image; those issued with the logo keep naming it, so its URL keeps working.",
  security: scopeSecurity("manage"),
  middleware: [apiKeyAuth("manage")] as const,
  responses: { 204: { description: "No current logo (also when there was none)" }, ...problems(401, 403) },
});

/** Registers the issuer logo routes. */
export function registerIssuerLogoRoutes(app: OpenAPIHono<OriginHono>) {
  app.openapi(putRoute, async (c) => {
    c.var.rc.operation = "issuer.logo.put";
    const declared = mediaTypeOf(c.req.header("content-type"));
    if (!ACCEPTED.includes(declared)) throw new AppError(415, "UNSUPPORTED_MEDIA_TYPE", "Send the logo as image/png or image/jpeg.");
    const bytes = await readBodyCapped(c.req.raw, LOGO_MAX_BYTES);
    const checked = await checkLogo(bytes);
    if ("rule" in checked) throw refused(checked);
    if (checked.contentType !== declared) throw refused({ rule: "format", detail: `is ${checked.contentType}, not the ${declared} its Content-Type declares` });
    const stored = await setLogo(database(c.env), c.var.org.id, bytes, checked);
    return c.json({ url: logoUrl(c.env, stored), contentType: stored.contentType }, 200);
  });

  app.openapi(getRoute, async (c) => {
    c.var.rc.operation = "issuer.logo.get";
    const logo = await currentLogo(database(c.env), c.var.org.id);
    if (!logo) throw new AppError(404, "NOT_FOUND", "The org has no logo.");
    return c.json({ url: logoUrl(c.env, logo), contentType: logo.contentType }, 200);
  });

  app.openapi(deleteRoute, async (c) => {
    c.var.rc.operation = "issuer.logo.delete";
    await removeLogo(database(c.env), c.var.org.id);
    return c.body(null, 204);
  });

  // The image: public, content-addressed, so cached for good. Served as the type it was checked
  // to be, never sniffed, and never as a document (CSP sandbox).
  app.get("/logos/:file", async (c) => {
    c.var.rc.operation = "issuer.logo.file";
    const match = /^([0-9a-f]{64})\.(png|jpg)$/.exec(c.req.param("file"));
    const logo = match ? await loadLogo(database(c.env), match[1]!) : null;
    if (!logo || (logo.contentType === "image/png") !== (match![2] === "png")) throw new AppError(404, "NOT_FOUND", "No such logo.");
    return c.body(logo.bytes as Uint8Array<ArrayBuffer>, 200, {
      "content-type": logo.contentType,
      "cache-control": "public, max-age=31536000, immutable",
      "x-content-type-options": "nosniff",
      "content-security-policy": "default-src 'none'; sandbox",
    });
  });
}
