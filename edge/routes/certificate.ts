// GET /c/:id/certificate.pdf: the printable certificate the origin renders (PDF with the VC-JWT
// embedded as `credential.jwt`). Served from KV when the stored one shows the credential's current
// state (projection version; revoked when the status list says so), else rendered by the origin
// on request (EdgeApi.renderCertificate, which also stores it) so a missing or outdated
// certificate costs one slow request, never a wrong answer. Registered before /c/:id.
import { AppError } from "../../shared/http/problem.ts";
import { kvKeys, type CertificateMetadata } from "../../shared/kv-keys.ts";
import { CACHE_POLICY, conditional } from "../cache/http.ts";
import type { EdgeEnv } from "../env.ts";
import type { EdgeRequest, EdgeRouter } from "../router.ts";
import { loadVerifiedCredential } from "../services/credential-view.ts";
import { callOrigin } from "../services/origin.ts";
import { clientKey, takeOriginReadToken } from "../services/rate-limit.ts";
import { CORS } from "./credentials.ts";

const KV_CACHE_TTL_SECONDS = 300;

interface Certificate {
  pdf: ArrayBuffer;
  metadata: CertificateMetadata;
}

/** A download name from the achievement's name: ASCII letters, digits and dashes only. */
export function certificateFileName(achievementName: string): string {
  const slug = achievementName
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "") // accents split off by NFKD: "É" → "E"
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .slice(0, 60)
    .replace(/^-+|-+$/g, "");
  return `${slug || "credential"}-certificate.pdf`;
}

async function stored(env: EdgeEnv, id: string): Promise<Certificate | null> {
  const { value, metadata } = await env.PROJECTIONS.getWithMetadata<CertificateMetadata>(kvKeys.certificatePdf(id), {
    type: "arrayBuffer",
    cacheTtl: KV_CACHE_TTL_SECONDS,
  });
  return value && metadata ? { pdf: value, metadata } : null;
}

// A revocation is final, so a stored revoked certificate of the same or a later version stands
// even while this edge's status read lags (or is unknown).
function shows(have: CertificateMetadata, want: CertificateMetadata): boolean {
  return have.version >= want.version && (have.revoked || !want.revoked);
}

async function rendered(request: EdgeRequest, env: EdgeEnv, id: string): Promise<Certificate | null> {
  takeOriginReadToken(env, clientKey(request));
  try {
    return await callOrigin(env, "renderCertificate", id);
  } catch (error) {
    request.ctx.log.warn("certificate render at the origin failed", { credentialId: id, error });
    return null;
  }
}

/** Registers GET /c/:id/certificate.pdf. */
export function registerCertificateRoute(router: EdgeRouter) {
  router.get("/c/:id/certificate.pdf", async (request, env, exec) => {
    const view = await loadVerifiedCredential(env, exec, request.params.id ?? "", { countScan: false, log: request.ctx.log, client: clientKey(request) });
    if (!view) throw new AppError(404, "CREDENTIAL_NOT_FOUND", `No credential ${request.params.id ?? ""}.`);
    const { projection, result } = view;
    const want = { version: projection.version, revoked: result.status === "revoked" || projection.revocation !== undefined };
    const kept = await stored(env, projection.id);
    const certificate = kept && shows(kept.metadata, want) ? kept : await rendered(request, env, projection.id);
    if (!certificate) {
      throw new AppError(503, "CERTIFICATE_UNAVAILABLE", "The certificate is not rendered yet and the origin could not render it now.", {
        headers: { "retry-after": "30" },
      });
    }
    const { version, revoked } = certificate.metadata;
    return conditional(request, `"d${version}-${revoked ? "r" : "a"}"`, CACHE_POLICY.image, () =>
      new Response(certificate.pdf, {
        headers: {
          "content-type": "application/pdf",
          "content-disposition": `inline; filename="${certificateFileName(projection.achievement.name)}"`,
          ...CORS,
        },
      }),
    );
  });
}
