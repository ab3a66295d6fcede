// The cost of a Data Integrity proof (eddsa-rdfc-2022: JSON-LD expansion, RDF canonicalization,
// Ed25519) per credential, beside the VC-JWT signature (ES256) of the same credential in the same
// run: the reason the proof is added by the publication consumers, never in an API request.
// The end-to-end batch rate with both proofs is in issuance.ts.
// Run: npx node scripts/bench/data-integrity.ts   (env: BENCH_DI_CREDENTIALS, default 200)
import { buildCredential } from "../../shared/credential/index.ts";
import { generateEd25519Jwk, signDataIntegrity } from "../../shared/data-integrity/index.ts";
import { generateIssuerKey } from "../../shared/keys/index.ts";
import { statusListUrl } from "../../shared/public-urls.ts";
import { credentialJsonOfJwt } from "../../shared/vc-jwt/credential-json.ts";
import { signCredentialJwt } from "../../shared/vc-jwt/index.ts";
import { runIfMain } from "./run-if-main.ts";

const COUNT = Number(process.env.BENCH_DI_CREDENTIALS ?? 200);
const BASE = "http://127.0.0.1:8787";
const ISSUER = { id: "did:web:127.0.0.1%3A8787:issuers:bench", name: "Bench University" };

export async function run() {
  const jwtKey = await generateIssuerKey();
  const signingKey = { keyId: jwtKey.keyId, privateKey: jwtKey.privateJwk, alg: "ES256" as const };
  const diKey = await generateEd25519Jwk();
  const verificationMethod = `${ISSUER.id}#bench-key`;
  const achievement = { id: `urn:uuid:${crypto.randomUUID()}`, name: "Bench", description: "d", criteria: { narrative: "c" } };
  const credentials = await Promise.all(
    Array.from({ length: COUNT }, (_, n) =>
      buildCredential({
        id: crypto.randomUUID(),
        issuer: ISSUER,
        achievement,
        recipient: { name: `Recipient ${n}`, email: `r${n}@bench.example` },
        status: { statusListCredential: statusListUrl(BASE, crypto.randomUUID()), statusListIndex: n },
      }),
    ),
  );
  // Warm-up: the first proof loads and caches the JSON-LD contexts.
  await signDataIntegrity(credentialJsonOfJwt(await signCredentialJwt(credentials[0]!, signingKey)), { privateJwk: diKey, verificationMethod });

  let started = performance.now();
  const jwts: string[] = [];
  for (const vc of credentials) jwts.push(await signCredentialJwt(vc, signingKey));
  const jwtMs = (performance.now() - started) / COUNT;

  started = performance.now();
  for (const jwt of jwts) await signDataIntegrity(credentialJsonOfJwt(jwt), { privateJwk: diKey, verificationMethod });
  const diMs = (performance.now() - started) / COUNT;

  const result = {
    name: "data-integrity",
    credentials: COUNT,
    vcJwtMsPerCredential: Number(jwtMs.toFixed(3)),
    dataIntegrityMsPerCredential: Number(diMs.toFixed(3)),
    ratioToVcJwt: Number((diMs / jwtMs).toFixed(1)),
  };
  console.log(`VC-JWT (ES256): ${result.vcJwtMsPerCredential} ms per credential; Data Integrity (eddsa-rdfc-2022): ${result.dataIntegrityMsPerCredential} ms per credential (${result.ratioToVcJwt}× the JWT)`);
  return result;
}

runIfMain(import.meta.url, run);
