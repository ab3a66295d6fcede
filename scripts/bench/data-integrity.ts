// Cost of the Data Integrity proof (eddsa-rdfc-2022: two RDFC-1.0 canonicalizations + Ed25519)
// per credential, against the VC-JWT's (ES256) measured in the same run on the same credentials:
// signing, and verifying with shared's verifyCredential (all checks, keys in memory, no status).
// Run: node scripts/bench/data-integrity.ts (BENCH_DI_N credentials, default 200).
import { buildCredential } from "../../shared/credential/build.ts";
import type { OpenBadgeCredential } from "../../shared/credential/types.ts";
import { generateEd25519Jwk, signDataIntegrity } from "../../shared/data-integrity/index.ts";
import { buildDidDocument } from "../../shared/keys/did-document.ts";
import { issuerDid } from "../../shared/keys/did-web.ts";
import { generateIssuerKey } from "../../shared/keys/generate.ts";
import { keysFromDocument } from "../../shared/keys/lookup.ts";
import { publicKeyMultibase } from "../../shared/data-integrity/ed25519.ts";
import { signCredentialJwt } from "../../shared/vc-jwt/sign.ts";
import { verifyCredential } from "../../shared/verify/verify-credential.ts";
import { runIfMain } from "./run-if-main.ts";

const BASE = "https://badges.example.org";

export interface DataIntegrityBenchResult {
  name: string;
  /** Milliseconds per credential. */
  jwtSignMs: number;
  diSignMs: number;
  jwtVerifyMs: number;
  diVerifyMs: number;
  /** Data Integrity cost / VC-JWT cost. */
  signRatio: number;
  verifyRatio: number;
}

async function timePer<T>(items: readonly T[], work: (item: T) => Promise<unknown>): Promise<number> {
  const start = performance.now();
  for (const item of items) await work(item);
  return (performance.now() - start) / items.length;
}

export async function run(opts: { n?: number; log?: (line: string) => void } = {}): Promise<DataIntegrityBenchResult> {
  const n = opts.n ?? Number(process.env.BENCH_DI_N ?? 200);
  const log = opts.log ?? console.log;
  log(`data-integrity bench: ${n} credentials, VC-JWT ES256 vs eddsa-rdfc-2022, Node ${process.version}`);
  const did = issuerDid(BASE, "bench");
  const jwtKey = await generateIssuerKey({ alg: "ES256" });
  const edKey = await generateEd25519Jwk();
  const verificationMethod = `${did}#key-ed-1`;
  const doc = buildDidDocument(did, [jwtKey.publicJwk]);
  const didDocument = {
    ...doc,
    verificationMethod: [...doc.verificationMethod, { id: verificationMethod, type: "Multikey", controller: did, publicKeyMultibase: publicKeyMultibase(edKey) }],
    assertionMethod: [...doc.assertionMethod, verificationMethod],
  };
  const keys = keysFromDocument(didDocument, did);
  const options = { resolveIssuerKeys: () => keys, resolveStatus: () => ({ bitSet: false }) };
  const credentials: OpenBadgeCredential[] = [];
  for (let i = 0; i < n; i++) {
    credentials.push(
      await buildCredential({
        issuer: { id: did, name: "Bench University" },
        achievement: { id: `${BASE}/achievements/bench`, name: "Benchmark Badge", description: "Awarded for being verified many times.", criteria: { narrative: "Be a benchmark." } },
        recipient: { name: `Learner ${i}`, email: `learner${i}@example.com` },
        status: { statusListCredential: `${BASE}/status/bench`, statusListIndex: i },
        validFrom: new Date(Date.now() - 3600_000),
      }),
    );
  }
  const signJwt = (vc: OpenBadgeCredential) => signCredentialJwt(vc, { keyId: jwtKey.keyId, privateKey: jwtKey.privateJwk });
  const signDi = (vc: OpenBadgeCredential) => signDataIntegrity(vc, { privateJwk: edKey, verificationMethod });
  // Warm-up (JIT, context resolution cache), then measured passes interleaved JWT / DI.
  const warm = credentials.slice(0, Math.min(20, n));
  await timePer(warm, signJwt);
  await timePer(warm, signDi);
  const jwtSignMs = await timePer(credentials, signJwt);
  const diSignMs = await timePer(credentials, signDi);
  const jwts = await Promise.all(credentials.map(signJwt));
  const secured = await Promise.all(credentials.map(signDi));
  const mustVerify = async (input: unknown) => {
    const r = await verifyCredential(input, options);
    if (!r.verified) throw new Error(`bench credential did not verify: ${r.status} ${r.reason ?? ""}`);
  };
  await timePer(jwts.slice(0, 20), mustVerify);
  await timePer(secured.slice(0, 20), mustVerify);
  const jwtVerifyMs = await timePer(jwts, mustVerify);
  const diVerifyMs = await timePer(secured, mustVerify);
  const result = {
    name: "data-integrity",
    jwtSignMs,
    diSignMs,
    jwtVerifyMs,
    diVerifyMs,
    signRatio: diSignMs / jwtSignMs,
    verifyRatio: diVerifyMs / jwtVerifyMs,
  };
  const ms = (x: number) => `${x.toFixed(3)} ms`;
  log(`  sign:   VC-JWT ${ms(jwtSignMs)}/credential, Data Integrity ${ms(diSignMs)}/credential (x${result.signRatio.toFixed(1)})`);
  log(`  verify: VC-JWT ${ms(jwtVerifyMs)}/credential, Data Integrity ${ms(diVerifyMs)}/credential (x${result.verifyRatio.toFixed(1)})`);
  log(`data-integrity ratios: sign x${result.signRatio.toFixed(1)}, verify x${result.verifyRatio.toFixed(1)} (cost of DI / cost of VC-JWT)`);
  return result;
}

runIfMain(import.meta.url, run);
