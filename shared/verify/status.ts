// Status answers from status list VC-JWTs (Bitstring Status List v1.0 §3.2 Validate Algorithm).

import type { StatusEntry } from "../credential/types.ts";
import { checkStatusEntry, verifyStatusList, type VerifiedStatusList } from "../status-list/verify.ts";
import type { IssuerKeyResolver } from "../vc-jwt/verify.ts";
import type { StatusAnswer, StatusResolver } from "./types.ts";

/** Key and clock options shared by the status helpers. */
export interface StatusListOptions {
  resolveIssuerKeys: IssuerKeyResolver;
  now?: Date | number;
  clockToleranceSeconds?: number;
}

/**
 * Verifies a status list VC-JWT and answers `entry` from it (Bitstring Status List v1.0 §3.2):
 * signature by the credential's issuer, list not expired, matching purpose and list URL, index in
 * range. The answer's `asOf` is the list's validFrom.
 * Throws StatusListError when the list cannot answer; a StatusResolver may let that propagate.
 */
export async function statusFromListJwt(
  listJwt: string,
  entry: StatusEntry,
  credentialIssuerId: string,
  opts: StatusListOptions,
): Promise<StatusAnswer> {
  const list = await verifyStatusList(listJwt, opts);
  return checkStatusEntry(entry, list, credentialIssuerId, opts);
}

/**
 * A StatusResolver over status list JWTs obtained by `loadListJwt(url)` (a fetch, a KV read or a
 * local file; null when there is none). Each list URL is loaded and verified once per resolver;
 * failures are not remembered.
 */
export function createStatusResolver(
  loadListJwt: (statusListCredential: string) => Promise<string | null> | string | null,
  opts: StatusListOptions,
): StatusResolver {
  const lists = new Map<string, Promise<VerifiedStatusList | null>>();
  return async (entry, { issuerId }) => {
    const url = entry.statusListCredential;
    let pending = lists.get(url);
    if (!pending) {
      pending = Promise.resolve(loadListJwt(url)).then((jwt) => (jwt === null ? null : verifyStatusList(jwt, opts)));
      lists.set(url, pending);
      pending.catch(() => lists.delete(url)); // a failed load or verification is retried next time
    }
    const list = await pending;
    // Judged again at each use: a list cached here may have expired since it was verified.
    return list === null ? null : checkStatusEntry(entry, list, issuerId, opts);
  };
}
