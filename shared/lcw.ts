// The Digital Credentials Consortium's Learner Credential Wallet (LCW) deep link, "bearer" flow:
// https://lcw.app/request.html?issuer=…&auth_type=bearer&challenge=…&vc_request_url=…
// Opened on a phone with the wallet installed, the wallet POSTs a DID Authentication presentation
// (carrying `challenge`) to `vc_request_url` and stores the Verifiable Credential it gets back; it
// reads Data Integrity proofs only, so the edge answers with the credential's DI-secured JSON
// (edge/routes/wallet-request.ts). Shared by the edge's credential page and the origin's wallet page.
/** The LCW's universal link that opens the app (or its install page) with a credential request. */
const LCW_REQUEST_PAGE = "https://lcw.app/request.html";

/**
 * The "Add to Learner Credential Wallet" link of a credential, given its `walletRequest` URL
 * (shared/public-urls.ts credentialUrls). `issuer` names the issuing service to the wallet (that
 * URL's host); the challenge is the credential id, since the answer is the public credential and
 * needs no secret.
 */
export function lcwDeepLink(walletRequestUrl: string, credentialId: string): string {
  const params = new URLSearchParams({
    issuer: new URL(walletRequestUrl).host,
    auth_type: "bearer",
    challenge: credentialId,
    vc_request_url: walletRequestUrl,
  });
  return `${LCW_REQUEST_PAGE}?${params}`;
}
