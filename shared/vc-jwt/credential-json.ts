// The credential a VC-JWT secures, as JSON (docs/api.md "Credential format"): the payload without
// the JWT registered claims the VC-JWT adds. It is what `/c/:id.json` serves and what the credential's
// Data Integrity proof secures, so both proofs secure the same content.
import { decodeCompactJws } from "./parse.ts";

/** JWT registered claims that the VC-JWT adds to the credential. */
const JWT_CLAIMS = new Set(["iss", "jti", "sub", "nbf", "exp", "iat", "aud"]);

/** The credential JSON of a VC-JWT this deployment signed; throws when the JWT does not decode. */
export function credentialJsonOfJwt(jwt: string): Record<string, unknown> {
  const decoded = decodeCompactJws(jwt);
  if (typeof decoded === "string") throw new Error(`stored credential JWT does not decode: ${decoded}`);
  return Object.fromEntries(Object.entries(decoded.payload).filter(([k]) => !JWT_CLAIMS.has(k)));
}
