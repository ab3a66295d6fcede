#!/usr/bin/env node
// Laurel's offline verifier: `laurel verify <file.jwt | badge.png | URL | -> [--trust <file>]... [--json]`.
// Node 22.18+ runs the TypeScript sources directly (type stripping).
import { main } from "../shared/cli/main.ts";

process.exitCode = await main(process.argv.slice(2));
