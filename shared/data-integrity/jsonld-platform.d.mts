// Types of jsonld-platform.mjs (plain JavaScript so that Node 20 can run it).
import type { Plugin as EsbuildPlugin } from "esbuild";
import type { Plugin as VitePlugin } from "vite";

export function jsonldWithoutNetworkVite(): VitePlugin;
export function jsonldWithoutNetworkEsbuild(): EsbuildPlugin;
