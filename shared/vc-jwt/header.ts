// Protected-header parameters a Laurel verifier refuses, whatever the algorithm (RFC 8725 §3.10
// "Do Not Trust Received Claims"; RFC 7515 §4.1.11 `crit`; RFC 7797 `b64`).

/**
 * Parameters that would let a token name its own key or key source (`jwk`, `jku`, `x5u`, `x5c`:
 * keys come only from the issuer's DID document, and no URL in a token is ever fetched) or change
 * how it is processed (`crit`: no extension is understood, so RFC 7515 §4.1.11 says reject;
 * `b64`: unencoded payloads, RFC 7797).
 */
export const REFUSED_HEADER_PARAMETERS = ["jwk", "jku", "x5u", "x5c", "crit", "b64"] as const;

/** Why a protected header must be refused, naming the parameters, or null (RFC 8725 §3.10). */
export function refusedHeaderProblem(header: Record<string, unknown>): string | null {
  const present = REFUSED_HEADER_PARAMETERS.filter((name) => Object.hasOwn(header, name));
  if (present.length === 0) return null;
  return `header parameter${present.length > 1 ? "s" : ""} ${present.join(", ")} not accepted (keys come only from the issuer's DID document; no extensions)`;
}
