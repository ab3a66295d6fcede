// Background certificates: after a credential.publish job, render the certificates of the
// credentials it published (a first single issuance, or a republication such as a revocation,
// whose stored certificate would otherwise still show the credential as active) while this
// isolate's API is idle (publication/warm-while-idle.ts). A certificate not rendered here is
// rendered by the edge's first request (EdgeApi.renderCertificate), so skipping one loses nothing.
import type { CredentialProjection } from "../../../shared/kv-keys.ts";
import { warmWhileIdle } from "../publication/warm-while-idle.ts";
import { certificateIsCurrent, publishCertificate } from "./publish.ts";

/** Renders the certificates of `projections` that KV lacks or holds in an older state. Never throws. */
export function warmCertificates(env: Parameters<typeof publishCertificate>[0], projections: CredentialProjection[]) {
  return warmWhileIdle(projections, async (projection) => {
    if (await certificateIsCurrent(env, projection)) return false;
    await publishCertificate(env, projection);
    return true;
  });
}
