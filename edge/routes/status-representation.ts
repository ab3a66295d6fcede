// Which representation of a status list a client asked for (Bitstring Status List v1.0 §3.x allows
// either): the JSON-LD credential with a Data Integrity proof for JSON media types, the VC-JWT for
// anything else (the default, as before Data Integrity).

/** Media types answered with the JSON-LD list (with a Data Integrity proof). */
const JSON_LD_TYPES = new Set(["application/vc+ld+json", "application/ld+json", "application/json"]);
/** Longer Accept headers are not parsed (a client gains nothing by sending more): VC-JWT. */
const MAX_ACCEPT_CHARS = 1024;

/**
 * "json-ld" when the Accept header names one of JSON_LD_TYPES with a non-zero q, ahead of (or
 * without) application/vc+jwt; else "jwt". A linear split, bounded by MAX_ACCEPT_CHARS.
 */
export function statusListRepresentation(accept: string | null): "json-ld" | "jwt" {
  if (!accept || accept.length > MAX_ACCEPT_CHARS) return "jwt";
  let bestJson = 0;
  let bestJwt = 0;
  for (const part of accept.split(",")) {
    const [type = "", ...params] = part.split(";").map((p) => p.trim().toLowerCase());
    let q = 1;
    for (const param of params) {
      const [name, value] = param.split("=").map((x) => x.trim());
      if (name === "q" && value !== undefined) q = Number.isFinite(Number(value)) ? Number(value) : 0;
    }
    if (JSON_LD_TYPES.has(type)) bestJson = Math.max(bestJson, q);
    else if (type === "application/vc+jwt" || type === "application/jwt") bestJwt = Math.max(bestJwt, q);
  }
  return bestJson > 0 && bestJson >= bestJwt ? "json-ld" : "jwt";
}
