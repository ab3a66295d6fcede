// Verification throughput: shared's verifyCredential (all checks, keys and status in memory) against
// raw jose.jwtVerify of the same tokens with a pre-imported key. Run: npx node scripts/bench/verify.ts
import { importJWK, jwtVerify } from "jose";
import { buildCredential } from "../../shared/credential/build.ts";
import { buildJwks } from "../../shared/keys/did-document.ts";
import { issuerDid } from "../../shared/keys/did-web.ts";
import { generateIssuerKey } from "../../shared/keys/generate.ts";
import { createBitstring, setBit } from "../../shared/status-list/bitstring.ts";
import { signStatusList } from "../../shared/status-list/credential.ts";
import { checkStatusEntry, verifyStatusList } from "../../shared/status-list/verify.ts";
import { signCredentialJwt } from "../../shared/vc-jwt/sign.ts";
import type { SigningAlgorithm } from "../../shared/vc-jwt/constants.ts";
import { verifyCredential } from "../../shared/verify/verify-credential.ts";
import type { VerifyCredentialOptions } from "../../shared/verify/types.ts";
import { runIfMain } from "./run-if-main.ts";
import { statusListUrl } from "../../shared/public-urls.ts";

/** One benchmark's figures, in credentials verified per second. */
export interface BenchResult {
  name: string;
  ours: number;
  baseline: number;
  ratio: number;
}

const BASE = "https://badges.example.org";

async function setup(n: number, alg: SigningAlgorithm) {
  const did = issuerDid(BASE, "bench");
  const key = await generateIssuerKey({ alg });
  const signing = { keyId: key.keyId, privateKey: key.privateJwk };
  const listUrl = statusListUrl(BASE, "bench");
  const tokens: string[] = [];
  for (let i = 0; i < n; i++) {
    const vc = await buildCredential({
      issuer: { id: did, name: "Bench University" },
      achievement: {
        id: `${BASE}/achievements/bench`,
        name: "Benchmark Badge",
        description: "Awarded for being verified many times.",
        criteria: { narrative: "Exist." },
      },
      recipient: { name: `Recipient ${i}`, email: `r${i}@example.com` },
      status: { statusListCredential: listUrl, statusListIndex: i },
      validFrom: new Date(Date.now() - 3600_000),
      validUntil: new Date(Date.now() + 365 * 86400_000),
    });
    tokens.push(await signCredentialJwt(vc, signing));
  }
  const keys = buildJwks(did, [key.publicJwk]).keys;
  const resolveIssuerKeys = (d: string) => (d === did ? keys : null);
  const bits = createBitstring();
  setBit(bits, n + 1); // a non-empty list, none of the benchmarked credentials revoked
  const list = await verifyStatusList(
    await signStatusList({ listUrl, issuer: did, bits, validFrom: new Date(Date.now() - 3600_000) }, signing),
    { resolveIssuerKeys },
  );
  const options: VerifyCredentialOptions = {
    resolveIssuerKeys,
    resolveStatus: (entry, { issuerId }) => checkStatusEntry(entry, list, issuerId),
  };
  const rawKey = await importJWK(key.publicJwk, alg);
  return { tokens, options, rawKey };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
}

type Verify = (token: string) => Promise<unknown>;

// One round: both verifiers over every token, interleaved in blocks (alternating which goes first)
// so that load from other processes on this shared machine hits both sides alike.
async function round(tokens: readonly string[], ours: Verify, raw: Verify, block = 100): Promise<[number, number]> {
  let oursMs = 0;
  let rawMs = 0;
  for (let i = 0, b = 0; i < tokens.length; i += block, b++) {
    const chunk = tokens.slice(i, i + block);
    for (const [side, verify] of b % 2 === 0 ? ([["ours", ours], ["raw", raw]] as const) : ([["raw", raw], ["ours", ours]] as const)) {
      const start = performance.now();
      for (const t of chunk) await verify(t);
      const ms = performance.now() - start;
      if (side === "ours") oursMs += ms;
      else rawMs += ms;
    }
  }
  return [tokens.length / (oursMs / 1000), tokens.length / (rawMs / 1000)];
}

/** Options of `run`; `n`, `rounds` default to BENCH_N / BENCH_ROUNDS or 2000 / 5. */
export interface RunOptions {
  n?: number;
  rounds?: number;
  alg?: SigningAlgorithm;
  log?: (line: string) => void;
}

/**
 * Signs `n` credentials, then verifies all of them with both verifiers for `rounds` rounds after a
 * warm-up round; rates and ratio are medians over rounds, in credentials per second. Prints the
 * figures and the `verify ratio:` line, and returns them.
 */
export async function run(opts: RunOptions = {}): Promise<BenchResult> {
  const n = opts.n ?? Number(process.env.BENCH_N ?? 2000);
  const rounds = opts.rounds ?? Number(process.env.BENCH_ROUNDS ?? 5);
  const alg = opts.alg ?? "ES256";
  const log = opts.log ?? console.log;
  log(`verify bench: ${n} ${alg} credentials, ${rounds} rounds after warm-up, interleaved, medians, Node ${process.version}`);
  const { tokens, options, rawKey } = await setup(n, alg);
  const ours = async (t: string) => {
    const r = await verifyCredential(t, options);
    if (!r.verified) throw new Error(`bench credential did not verify: ${r.status} ${r.reason ?? ""}`);
  };
  const raw = (t: string) => jwtVerify(t, rawKey);
  await round(tokens, ours, raw); // warm-up: JIT, key cache
  const oursRates: number[] = [];
  const rawRates: number[] = [];
  const ratios: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const [o, r] = await round(tokens, ours, raw);
    oursRates.push(o);
    rawRates.push(r);
    ratios.push(o / r);
  }
  const result = { name: "verify", ours: median(oursRates), baseline: median(rawRates), ratio: median(ratios) };
  const fmt = (x: number) => Math.round(x).toLocaleString("en-US");
  log(`  shared verifyCredential (all checks): ${fmt(result.ours)} credentials/s`);
  log(`  raw jose.jwtVerify (pre-imported key): ${fmt(result.baseline)} credentials/s`);
  log(`verify ratio: ${result.ratio.toFixed(2)} (target >= 0.70)`);
  return result;
}

runIfMain(import.meta.url, run);
