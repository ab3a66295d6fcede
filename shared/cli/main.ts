// `laurel verify`: the offline verifier. Exit 0 when valid, 1 when not (invalid, expired,
// revoked, unknown...), 2 on unusable input or arguments.

import type { JWK } from "jose";
import { createStatusResolver } from "../verify/status.ts";
import { extractCredentialInput, securedCredentialOf } from "../verify/input.ts";
import { verifyCredential } from "../verify/verify-credential.ts";
import type { VerifyCredentialOptions } from "../verify/types.ts";
import { parseArgs, USAGE, type VerifyArgs } from "./args.ts";
import type { HttpGet } from "./http-get.ts";
import { formatResult } from "./report.ts";
import { defaultHttpGet, fetchIssuerKeys, fetchStatusList, InputError, loadTrust, readInput } from "./sources.ts";
import { escapeForTerminal, jsonForTerminal } from "./terminal-text.ts";

/** Output sinks and the network, replaceable in tests. */
export interface CliDeps {
  out: (text: string) => void;
  err: (text: string) => void;
  /** Every network request of a run goes through this (none with --trust). */
  get: HttpGet;
}

const processDeps: CliDeps = {
  out: (text) => process.stdout.write(`${text}\n`),
  err: (text) => process.stderr.write(`${text}\n`),
  get: defaultHttpGet,
};

async function optionsFor(args: VerifyArgs, get: HttpGet): Promise<VerifyCredentialOptions> {
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
    if (!keys) keyCache.set(did, (keys = fetchIssuerKeys(did, get)));
    return keys;
  };
  return { resolveIssuerKeys, resolveStatus: createStatusResolver((url) => fetchStatusList(url, get), { resolveIssuerKeys }) };
}

/** Runs the CLI with `argv` (without node and script path) and returns the exit status. */
export async function main(argv: readonly string[], deps: Partial<CliDeps> = {}): Promise<number> {
  const { out, err, get } = { ...processDeps, ...deps };
  // Messages can carry file names, URLs and texts from the credential: escaped like the summary.
  const fail = (message: string) => err(`laurel: ${escapeForTerminal(message)}`);
  const args = parseArgs(argv);
  if ("error" in args) {
    fail(args.error);
    err(`\n${USAGE}`);
    return 2;
  }
  if (args.command === "help") {
    out(USAGE);
    return 0;
  }
  try {
    const opts = await optionsFor(args, get);
    const extracted = extractCredentialInput(await readInput(args.input, get));
    if (!extracted.ok) {
      fail(`${args.input}: ${extracted.message} (${extracted.code})`);
      return 2;
    }
    const result = await verifyCredential(securedCredentialOf(extracted), opts);
    out(args.json ? jsonForTerminal(result) : formatResult(result, args.trust.length > 0 ? "trusted files only" : "fetched"));
    return result.verified ? 0 : 1;
  } catch (e) {
    if (e instanceof InputError) fail(e.message);
    else fail(`unexpected error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
    return 2;
  }
}
