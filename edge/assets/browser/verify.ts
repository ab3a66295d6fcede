// The /verify page's script: verifies a pasted JWT or a dropped baked badge in the browser with
// the same shared/ verifier as the edge, fetching the issuer's did.json and the status list from
// this deployment only (through the service worker, which keeps them for offline use).
import { didWebToUrl, keysFromDocument } from "../../../shared/keys/index.ts";
import {
  createStatusResolver,
  extractCredentialInput,
  securedCredentialOf,
  MAX_INPUT_BYTES,
  verifyCredential,
  type VerificationResult,
} from "../../../shared/verify/index.ts";
import { renderBanner, renderChecks, renderSummary } from "../../render/result.ts";

const form = document.querySelector<HTMLFormElement>("#verify-form")!;
const textarea = document.querySelector<HTMLTextAreaElement>("#jwt-input")!;
const fileInput = document.querySelector<HTMLInputElement>("#file-input")!;
const dropZone = document.querySelector<HTMLElement>("#drop-zone")!;
const resultArea = document.querySelector<HTMLElement>("#result")!;
const offlineStatus = document.querySelector<HTMLElement>("#offline-status")!;

/** Same-origin URL for a document this deployment hosts, or an Error saying why not. */
function localUrl(url: string | null, what: string): string {
  if (!url) throw new Error(`${what} has no resolvable URL`);
  const target = new URL(url);
  if (target.origin !== location.origin) throw new Error(`${what} is not hosted by this Laurel deployment (${target.origin})`);
  return target.pathname + target.search;
}

async function fetchText(url: string, what: string): Promise<string> {
  let response: Response;
  try {
    response = await fetch(url, { headers: { accept: "application/json, application/vc+jwt, */*" } });
  } catch {
    throw new Error(`${what} could not be fetched: offline, and not saved from an earlier visit`);
  }
  if (!response.ok) throw new Error(`${what} answered HTTP ${response.status}`);
  return response.text();
}

async function resolveIssuerKeys(did: string) {
  const url = localUrl(didWebToUrl(did), "issuer DID document");
  const doc: unknown = JSON.parse(await fetchText(url, "issuer DID document"));
  return keysFromDocument(doc, did);
}

const loadStatusList = async (listUrl: string) => fetchText(localUrl(listUrl, "status list"), "status list");

/** Renders a VerificationResult the same way the server pages do. */
function show(result: VerificationResult): void {
  const intro = "These checks ran in this browser, with the issuer's keys and revocation list from this site (or saved from an earlier visit when offline).";
  resultArea.innerHTML = renderBanner(result).value + renderSummary(result).value + (result.checks.length ? renderChecks(result, intro).value : "");
  resultArea.dataset.state = "done";
  resultArea.scrollIntoView({ block: "start", behavior: "smooth" });
}

async function verify(input: string | ArrayBuffer): Promise<void> {
  resultArea.dataset.state = "running";
  resultArea.textContent = "Verifying…";
  const extracted = extractCredentialInput(input);
  if (!extracted.ok) {
    show({ verified: false, status: "invalid", reason: extracted.message, checks: [] });
    return;
  }
  const opts = { resolveIssuerKeys };
  const result = await verifyCredential(securedCredentialOf(extracted), { ...opts, resolveStatus: createStatusResolver(loadStatusList, opts) });
  show(result);
}

form.addEventListener("submit", (event) => {
  event.preventDefault();
  void verify(textarea.value);
});

async function verifyFile(file: File | undefined): Promise<void> {
  if (!file) return;
  // Refused unread: no badge is this large, and reading it would only fill the tab's memory.
  if (file.size > MAX_INPUT_BYTES) {
    show({ verified: false, status: "invalid", reason: `${file.name} is larger than ${MAX_INPUT_BYTES / 1024 / 1024} MiB`, checks: [] });
    return;
  }
  await verify(await file.arrayBuffer());
}

fileInput.addEventListener("change", () => void verifyFile(fileInput.files?.[0]));
for (const type of ["dragenter", "dragover"] as const) {
  dropZone.addEventListener(type, (event) => {
    event.preventDefault();
    dropZone.classList.add("is-over");
  });
}
dropZone.addEventListener("dragleave", () => dropZone.classList.remove("is-over"));
dropZone.addEventListener("drop", (event) => {
  event.preventDefault();
  dropZone.classList.remove("is-over");
  void verifyFile(event.dataTransfer?.files[0]);
});

// Offline support: the service worker caches this page, this script, and every issuer document
// and status list the page has fetched.
if ("serviceWorker" in navigator) {
  navigator.serviceWorker
    .register("/verify-sw.js", { scope: "/verify" })
    .then(() => navigator.serviceWorker.ready)
    .then(() => {
      offlineStatus.textContent = "Saved for offline use: issuers and revocation lists you check here stay available without a connection.";
    })
    .catch(() => {
      offlineStatus.textContent = "Offline use is not available in this browser.";
    });
}
