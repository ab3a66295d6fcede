// did:web identifiers for issuers (did:web Method Specification §3.1-3.2; docs/api.md "Identifiers").
import { normalizePublicBaseUrl } from "../public-urls.ts";

const LOCAL_HOSTS = new Set(["localhost", "127.0.0.1", "[::1]"]);

/**
 * `did:web:<host>[:<path>]:issuers:<slug>` for an issuer served under `publicBaseUrl`
 * (did:web §3.1: a port's colon is written `%3A`, path segments are joined with `:`); it resolves
 * to `issuerDidDocumentUrl(publicBaseUrl, slug)` of shared/public-urls.ts.
 */
export function issuerDid(publicBaseUrl: string, slug: string): string {
  const url = new URL(normalizePublicBaseUrl(publicBaseUrl));
  if (!/^[a-z0-9][a-z0-9-]*$/i.test(slug)) throw new TypeError(`invalid issuer slug: ${slug}`);
  const host = url.port ? `${url.hostname}%3A${url.port}` : url.hostname;
  const path = url.pathname.split("/").filter(Boolean).map(encodeURIComponent);
  return ["did:web", host, ...path, "issuers", slug].join(":");
}

/**
 * The URL of the DID document for a did:web (did:web §3.2 Read): https, except http for
 * localhost/127.0.0.1 (local development); `/.well-known/did.json` when the DID has no path.
 * Returns null for anything that is not a well-formed did:web.
 */
export function didWebToUrl(did: string): string | null {
  const bare = did.split("#")[0] ?? "";
  const parts = bare.split(":");
  if (parts.length < 3 || parts[0] !== "did" || parts[1] !== "web") return null;
  let host: string;
  let path: string[];
  try {
    host = decodeURIComponent(parts[2] ?? "");
    path = parts.slice(3).map((p) => decodeURIComponent(p));
  } catch {
    return null;
  }
  if (!/^[a-z0-9.[\]:-]+$/i.test(host) || path.some((p) => p === "" || p === "." || p === ".." || p.includes("/"))) {
    return null;
  }
  const hostname = host.replace(/:\d+$/, "").toLowerCase();
  const scheme = LOCAL_HOSTS.has(hostname) ? "http" : "https";
  const suffix = path.length === 0 ? ".well-known/did.json" : `${path.map(encodeURIComponent).join("/")}/did.json`;
  try {
    return new URL(`${scheme}://${host}/${suffix}`).toString();
  } catch {
    return null;
  }
}
