// Background certificates: after a credential.publish job, render the certificates of the
// credentials it published (a first single issuance, or a republication such as a revocation,
// whose stored certificate would otherwise still show the credential as active) while this isolate's API is idle, as
// cards are warmed (publication/credential.ts warmCards). A certificate not rendered here is
// rendered by the edge's first request (EdgeApi.renderCertificate), so skipping one loses nothing.
import type { CredentialProjection } from "../../../shared/kv-keys.ts";
import type { OriginEnv } from "../../env.ts";
import { apiBusy } from "../../http/activity.ts";
import { certificateIsCurrent, publishCertificate } from "./publish.ts";

/** How long warming yields before each check of `apiBusy`. */
const YIELD_MS = 10;

/** Renders the certificates of `projections` that KV lacks or holds in an older state. Never throws. */
export async function warmCertificates(env: Pick<OriginEnv, "PROJECTIONS" | "PUBLIC_BASE_URL">, projections: CredentialProjection[]) {
  let rendered = 0;
  let skipped = 0;
  for (const [i, projection] of projections.entries()) {
    await new Promise((resolve) => setTimeout(resolve, YIELD_MS));
    if (apiBusy()) {
      skipped += projections.length - i;
      break;
    }
    try {
      if (await certificateIsCurrent(env, projection)) continue;
      await publishCertificate(env, projection);
      rendered++;
    } catch {
      skipped++; // the edge has it rendered on request
    }
  }
  return { rendered, skipped };
}
