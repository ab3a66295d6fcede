// `laurel verify`: the offline verifier (CONTRACT.md "Offline verifier CLI").
// Exit 0 when valid, 1 when not, 2 on unusable input or arguments.

import type { JWK } from "jose";
import { createStatusResolver } from "../verify/status.ts";
import { extractCredentialInput } from "../verify/input.ts";
import { verifyCredential } from "../verify/verify-credential.ts";
import type { VerifyCredentialOptions } from "../verify/types.ts";
import { parseArgs, USAGE, type VerifyArgs } from "./args.ts";
import { formatResult } from "./report.ts";
import { fetchIssuerKeys, fetchStatusList, InputError, loadTrust, readInput } from "./sources.ts";

/** Output sinks, replaceable in tests. */
export interface Io {
  out: (text: string) => void;
  err: (text: string) => void;
}

const processIo: Io = {
  out: (text) => process.stdout.write(`${text}\n`),
  err: (text) => process.stderr.write(`${text}\n`),
};

async function optionsFor(args: VerifyArgs): Promise<VerifyCredentialOptions> {
  if (args.trust.length > 0) {
    const trust = await loadTrust(args.trust);
    const resolveIssuerKeys = (did: string): JWK[] | null => {
      const keys = trust.keys.filter((k) => k.kid?.startsWith(`${did}#`));
      return keys.length > 0 ? keys : null;
    };
    return {
      resolveIssuerKeys,
      resolveStatus: createStatusResolver((url) => trust.statusLists.get(url) ?? null, { resolveIssuerKeys }),
    };
  }
  const keyCache = new Map<string, Promise<JWK[] | null>>();
  const resolveIssuerKeys = (did: string): Promise<JWK[] | null> => {
    let keys = keyCache.get(did);
    if (!keys) keyCache.set(did, (keys = fetchIssuerKeys(did)));
    return keys;
  };
  return { resolveIssuerKeys, resolveStatus: createStatusResolver(fetchStatusList, { resolveIssuerKeys }) };
}

/** Runs the CLI with `argv` (without node and script path) and returns the exit status. */
export async function main(argv: readonly string[], io: Io = processIo): Promise<number> {
  const args = parseArgs(argv);
  if ("error" in args) {
    io.err(`laurel: ${args.error}\n\n${USAGE}`);
    return 2;
  }
  if (args.command === "help") {
    io.out(USAGE);
    return 0;
  }
  try {
    const opts = await optionsFor(args);
    const extracted = extractCredentialInput(await readInput(args.input));
    if (!extracted.ok) {
      io.err(`laurel: ${args.input}: ${extracted.message} (${extracted.code})`);
      return 2;
    }
    const result = await verifyCredential(extracted.jwt, opts);
    io.out(args.json ? JSON.stringify(result, null, 2) : formatResult(result, args.trust.length > 0 ? "trusted files only" : "fetched"));
    return result.verified ? 0 : 1;
  } catch (e) {
    if (e instanceof InputError) {
      io.err(`laurel: ${e.message}`);
      return 2;
    }
    io.err(`laurel: unexpected error: ${e instanceof Error ? e.stack ?? e.message : String(e)}`);
    return 2;
  }
}
