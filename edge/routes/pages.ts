// Human-facing pages of the edge: the credential page (/c/:id), its embed widget and oEmbed, the
// in-browser verifier (/verify) with its service worker, and the browser scripts they load.
import { SCRIPTS, SERVICE_WORKER } from "../assets/bundles.ts";
import { matchesIfNoneMatch } from "../cache/http.ts";
import { contentEtag, scriptResponse } from "../cache/static-script.ts";
import { htmlHeaders } from "../render/headers.ts";
import { renderCredentialPage } from "../render/credential-page.ts";
import { renderEmbed } from "../render/embed.ts";
import { renderNotFoundPage } from "../render/not-found.ts";
import { buildOembed, credentialIdFromPageUrl } from "../render/oembed.ts";
import { EMBED_CSS, PAGE_CSS } from "../render/styles.ts";
import { renderVerifyPage } from "../render/verify-page.ts";
import type { EdgeRequest, EdgeRouter } from "../router.ts";
import { loadVerifiedCredential } from "../services/credential-view.ts";
import { clientKey } from "../services/rate-limit.ts";
import { edgeSetting } from "../env.ts";
import { problemResponse } from "../../shared/http/problem.ts";

/** Bump when the templates change in a way cached pages must not survive. */
const TEMPLATE_VERSION = "1";
/** Short: a revocation must show within a minute; ETags make revalidation cheap. */
const PAGE_CACHE = "public, max-age=60";

function withVersion(etag: string, kind: string): string {
  return `"${etag.replace(/^W\//, "").replaceAll('"', "")}-${kind}${TEMPLATE_VERSION}"`;
}

/** The page, or a 304 when the client holds `etag`: `render` runs only when the body is sent. */
async function htmlResponse(
  request: Request,
  render: () => string,
  opts: { css: string; etag?: string; frameable?: boolean; status?: number; cacheControl?: string },
) {
  const headers = await htmlHeaders({ css: opts.css, etag: opts.etag, frameable: opts.frameable, cacheControl: opts.cacheControl ?? PAGE_CACHE });
  if (opts.etag && (opts.status ?? 200) === 200 && matchesIfNoneMatch(request, opts.etag)) {
    headers.delete("content-type");
    return new Response(null, { status: 304, headers });
  }
  return new Response(render(), { status: opts.status ?? 200, headers });
}

/** The /verify page takes no input: rendered once per isolate. */
let verifyPage: string | undefined;

async function notFound(request: Request) {
  return htmlResponse(request, renderNotFoundPage, { css: PAGE_CSS, status: 404, cacheControl: "public, max-age=60" });
}

function positiveInt(value: unknown): number | undefined {
  const n = typeof value === "string" ? Number(value) : NaN;
  return Number.isInteger(n) && n > 0 ? n : undefined;
}

/** Registers the page routes; call before the catch-all 404. */
export function registerPageRoutes(router: EdgeRouter) {
  router.get("/c/:id/embed", async (request: EdgeRequest, env, exec) => {
    const view = await loadVerifiedCredential(env, exec, request.params.id ?? "", { count: "embeds", userAgent: request.headers.get("user-agent"), log: request.ctx.log, client: clientKey(request) });
    if (!view) return notFound(request);
    const baseUrl = edgeSetting(env, "PUBLIC_BASE_URL");
    return htmlResponse(request, () => renderEmbed(view, baseUrl), { css: EMBED_CSS, etag: withVersion(view.etag, "e"), frameable: true });
  });

  router.get("/c/:id", async (request: EdgeRequest, env, exec) => {
    const id = request.params.id ?? "";
    // `/c/<id>.jwt` and `/c/<id>.json` belong to the data routes: let them match.
    if (id.includes(".")) return undefined;
    const view = await loadVerifiedCredential(env, exec, id, { count: "views", userAgent: request.headers.get("user-agent"), log: request.ctx.log, client: clientKey(request) });
    if (!view) return notFound(request);
    const baseUrl = edgeSetting(env, "PUBLIC_BASE_URL");
    return htmlResponse(request, () => renderCredentialPage(view, baseUrl), { css: PAGE_CSS, etag: withVersion(view.etag, "p") });
  });

  router.get("/oembed", async (request: EdgeRequest, env, exec) => {
    const requestId = request.ctx.requestId;
    const format = typeof request.query.format === "string" ? request.query.format : "json";
    if (format !== "json") return problemResponse(501, "NOT_IMPLEMENTED", `oEmbed format ${format} is not supported; use format=json`, requestId);
    const url = typeof request.query.url === "string" ? request.query.url : null;
    if (!url) return problemResponse(400, "MISSING_URL", "the url query parameter is required", requestId);
    const baseUrl = edgeSetting(env, "PUBLIC_BASE_URL");
    const id = credentialIdFromPageUrl(url, baseUrl);
    const view = id ? await loadVerifiedCredential(env, exec, id, { countScan: false, log: request.ctx.log, client: clientKey(request) }) : null;
    if (!view) return problemResponse(404, "NOT_FOUND", "url is not a credential page of this site", requestId);
    const body = buildOembed(view.projection, baseUrl, { maxwidth: positiveInt(request.query.maxwidth), maxheight: positiveInt(request.query.maxheight) });
    return Response.json(body, { headers: { "cache-control": "public, max-age=300", "access-control-allow-origin": "*" } });
  });

  router.get("/verify", async (request: EdgeRequest) => {
    verifyPage ??= renderVerifyPage();
    const body = verifyPage;
    return htmlResponse(request, () => body, { css: PAGE_CSS, etag: await contentEtag(body), cacheControl: "public, max-age=300" });
  });

  router.get("/verify-sw.js", (request: EdgeRequest) => scriptResponse(request, SERVICE_WORKER, "no-cache"));

  router.get("/assets/:name", (request: EdgeRequest) => {
    const source = SCRIPTS[request.params.name ?? ""];
    return source === undefined ? undefined : scriptResponse(request, source, "public, max-age=300");
  });
}
