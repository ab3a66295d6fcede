// Module types for the binary imports wrangler's [[rules]] turn into values (origin/wrangler.toml):
// `*.wasm` → CompiledWasm (a WebAssembly.Module), `*.woff` → Data (an ArrayBuffer).
declare module "*.wasm" {
  const module: WebAssembly.Module;
  export default module;
}

declare module "*.woff" {
  const bytes: ArrayBuffer;
  export default bytes;
}
