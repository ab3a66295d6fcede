// Types of bundle.mjs (plain JavaScript so that Node 20 can run it), for the TypeScript tests.
export declare const CLI_BUILD: string;
export declare function bundleCli(): Promise<{ text: string; inputs: string[] }>;
export declare function writeAtomically(target: string, text: string): void;
export declare function ensureCliBuilt(): Promise<string>;
