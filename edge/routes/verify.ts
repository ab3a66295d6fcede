// The verification API: GET /api/v1/verify/:id (a stored credential) and POST /api/v1/verify
// (a JWT, {"credential": jwt}, a JSON credential with a Data Integrity proof, a baked PNG or SVG, a
// certificate PDF). Both answer the contract's VerificationResult;
// the body is parsed by shared/verify/input.ts, linear and bounded (shared/README.md "Input limits").
import { isPdf } from "../../shared/bake/pdf.ts";
import { isPng } from "../../shared/bake/png.ts";
import { mediaTypeOf, readBodyCapped } from "../../shared/http/body.ts";
import { AppError } from "../../shared/http/problem.ts";
import { extractCredentialInput, securedCredentialOf } from "../../shared/verify/input.ts";
import { CACHE_POLICY, conditional, jsonResponse } from "../cache/http.ts";
import { edgeSetting } from "../env.ts";
import type { EdgeRouter } from "../router.ts";
import { loadVerifiedCredential } from "../services/credential-view.ts";
import { clientKey, takeVerifyToken } from "../services/rate-limit.ts";
import { hostedCredentialId } from "../services/hosted-credential.ts";
import { recordEvent } from "../services/scans.ts";
import { verifyAtEdge } from "../services/verify.ts";
import { CORS } from "./credentials.ts";

/** Largest POST /api/v1/verify body (a baked badge PNG or a certificate PDF included). */
export const MAX_VERIFY_BODY_BYTES = 1024 * 1024;

const TEXT_TYPES = new Set(["text/plain", "application/vc+jwt", "application/jwt", "image/svg+xml"]);
/** JSON bodies: `{"credential": jwt}`, or a credential with an embedded Data Integrity proof (VC 2.0 §6.3 media types). */
const JSON_TYPES = new Set(["application/json", "application/vc+ld+json", "application/ld+json", "application/vc"]);
const BINARY_TYPES = new Set(["image/png", "application/pdf"]);
const ACCEPTED =
  "text/plain, application/vc+jwt, application/json, application/vc+ld+json, application/ld+json, image/png, image/svg+xml, application/pdf";
const utf8 = new TextDecoder("utf-8");

/** Registers the verification API. */
export function registerVerifyRoutes(router: EdgeRouter) {
  router.get("/api/v1/verify/:id", async (request, env, exec) => {
    const view = await loadVerifiedCredential(env, exec, request.params.id ?? "", {
      count: "verifications",
      userAgent: request.headers.get("user-agent"),
      log: request.ctx.log,
      client: clientKey(request),
    });
    if (!view) throw new AppError(404, "CREDENTIAL_NOT_FOUND", `No credential ${request.params.id ?? ""}.`);
    return conditional(request, view.etag, CACHE_POLICY.live, () => {
      const response = jsonResponse(view.result);
      for (const [k, v] of Object.entries(CORS)) response.headers.set(k, v);
      return response;
    });
  });

  router.post("/api/v1/verify", async (request, env, exec) => {
    const mediaType = mediaTypeOf(request.headers.get("content-type"));
    const isText = TEXT_TYPES.has(mediaType);
    const isJson = JSON_TYPES.has(mediaType);
    if (!isText && !isJson && !BINARY_TYPES.has(mediaType)) {
      throw new AppError(415, "UNSUPPORTED_MEDIA_TYPE", `Send the credential as ${ACCEPTED}.`, { headers: { "accept-post": ACCEPTED } });
    }
    await takeVerifyToken(env, clientKey(request));
    const body = await readBodyCapped(request, MAX_VERIFY_BODY_BYTES);
    if (mediaType === "image/png" && !isPng(body)) throw new AppError(400, "NOT_PNG", "The body is not a PNG image.");
    if (mediaType === "application/pdf" && !isPdf(body)) throw new AppError(400, "NOT_PDF", "The body is not a PDF document.");
    if (isJson && !utf8.decode(body.subarray(0, 64)).trimStart().startsWith("{")) {
      throw new AppError(400, "UNSUPPORTED_INPUT", 'JSON input must be a credential with a "proof", or {"credential": "<compact JWT>"}.', {
        errors: [{ field: "body", rule: "unsupported_input", detail: "a JSON body must be an object" }],
      });
    }
    const input = extractCredentialInput(BINARY_TYPES.has(mediaType) ? body : utf8.decode(body));
    if (!input.ok) {
      throw new AppError(400, input.code, `No credential found in the body: ${input.message}.`, {
        errors: [{ field: "body", rule: input.code.toLowerCase(), detail: input.message }],
      });
    }
    const baseUrl = edgeSetting(env, "PUBLIC_BASE_URL");
    const { result } = await verifyAtEdge(env, exec, securedCredentialOf(input), { baseUrl, log: request.ctx.log, client: clientKey(request) });
    const ours = hostedCredentialId(result, baseUrl);
    if (ours) recordEvent(env, exec, { credentialId: ours, event: "verifications", userAgent: request.headers.get("user-agent") }, request.ctx.log);
    const response = jsonResponse(result);
    response.headers.set("cache-control", "no-store");
    for (const [k, v] of Object.entries(CORS)) response.headers.set(k, v);
    return response;
  });
}
