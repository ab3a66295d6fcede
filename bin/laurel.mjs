#!/usr/bin/env node
// Laurel's offline verifier: `laurel verify <file.jwt | badge.png | URL | -> [--trust <file>]... [--json]`.
// Runs the one-file JavaScript build of shared/cli (any Node >= 20), building it first when it is
// missing or older than its sources (shared/cli/bundle.mjs).
import { pathToFileURL } from "node:url";
import { ensureCliBuilt } from "../shared/cli/bundle.mjs";

const { main } = await import(pathToFileURL(await ensureCliBuilt()).href);
process.exitCode = await main(process.argv.slice(2));
