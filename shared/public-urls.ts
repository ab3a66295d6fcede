// Every public URL of a Laurel deployment, built in one place from its public base URL
// (PUBLIC_BASE_URL): verify pages and their resources, status lists, issuer documents. The issuer
// API (docs/api.md "Identifiers") and the edge's routes (edge/index.ts) follow these shapes.

/** Why a public base URL is refused; the message names the rule, never the value. */
export class PublicBaseUrlError extends TypeError {
  override readonly name = "PublicBaseUrlError";
}

/**
 * The deployment's public base URL in canonical form: an absolute http(s) URL without user info,
 * query or fragment, trailing slashes removed (WHATWG URL; a path prefix such as `/laurel` is kept).
 * Throws PublicBaseUrlError for anything else, so an unusable setting fails where it is read.
 */
export function normalizePublicBaseUrl(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    throw new PublicBaseUrlError("must be an absolute URL such as https://verify.example.edu");
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") throw new PublicBaseUrlError("must use http or https");
  if (url.username || url.password) throw new PublicBaseUrlError("must not carry user info");
  if (url.search || url.hash || raw.includes("?") || raw.includes("#")) throw new PublicBaseUrlError("must not carry a query or fragment");
  return `${url.origin}${url.pathname.replace(/\/+$/, "")}`;
}

/** `<base>/c/<id>`: the credential's verify page (the verify URL of OB 3.0 credentials we issue). */
export const credentialPageUrl = (base: string, credentialId: string) => `${base}/c/${credentialId}`;

/** The absolute URLs of one credential's public resources (the edge's /c/:id routes). */
export function credentialUrls(base: string, credentialId: string) {
  const page = credentialPageUrl(base, credentialId);
  return {
    page,
    jwt: `${page}.jwt`,
    json: `${page}.json`,
    badge: `${page}/badge.png`,
    card: `${page}/card.png`,
    certificate: `${page}/certificate.pdf`,
    embed: `${page}/embed`,
    /** The edge's counting redirect to LinkedIn's add-to-profile form (a share). */
    linkedin: `${page}/linkedin`,
    /** Where the Learner Credential Wallet asks for the Data Integrity credential (shared/lcw.ts). */
    walletRequest: `${page}/lcw-request`,
    oembed: `${base}/oembed?${new URLSearchParams({ url: page, format: "json" })}`,
  };
}

/** `/c/<id>/badge.png`: the baked badge, as a same-origin path (pages and the widget link it relatively). */
export const badgeImagePath = (credentialId: string) => `${credentialPageUrl("", credentialId)}/badge.png`;

/** `<base>/status/<list id>`: a Bitstring Status List credential's URL and id (Bitstring Status List v1.0 §2.1). */
export const statusListUrl = (base: string, listId: string) => `${base}/status/${listId}`;

/** The list id of a status list URL under `base`, unvalidated (callers check the id's shape); else null. */
export function statusListIdOfUrl(url: string, base: string): string | null {
  const prefix = statusListUrl(base, "");
  return url.startsWith(prefix) ? url.slice(prefix.length) : null;
}

/** `<base>/issuers/<slug>/did.json`: the issuer's DID document (did:web §3.2). */
export const issuerDidDocumentUrl = (base: string, slug: string) => `${issuerBaseUrl(base, slug)}/did.json`;

/** `<base>/issuers/<slug>/jwks.json`: the issuer's JWK Set (RFC 7517 §5). */
export const issuerJwksUrl = (base: string, slug: string) => `${issuerBaseUrl(base, slug)}/jwks.json`;

/** `<base>/issuers/<slug>`: the folder did:web maps `did:web:<host>:issuers:<slug>` to. */
export const issuerBaseUrl = (base: string, slug: string) => `${base}/issuers/${encodeURIComponent(slug)}`;
