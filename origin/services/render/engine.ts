// Image rendering inside workerd: satori lays out an element tree and draws it as SVG (text as
// paths), resvg rasterises the SVG to PNG. satori 0.32's standalone build takes yoga as a compiled
// wasm module, because workerd refuses to compile inline WebAssembly (satori 0.33+ inlines harfbuzz, hence the pin).
import { initWasm, Resvg } from "@resvg/resvg-wasm";
import resvgWasm from "@resvg/resvg-wasm/index_bg.wasm";
import interBold from "@fontsource/inter/files/inter-latin-700-normal.woff";
import interRegular from "@fontsource/inter/files/inter-latin-400-normal.woff";
import satori, { init as initSatori } from "satori/standalone";
import yogaWasm from "satori/yoga.wasm";
import type { Node } from "./element.ts";

// Initialised once per isolate; a failed start is forgotten so the next call tries again.
let ready: Promise<void> | null = null;
function initialise(): Promise<void> {
  ready ??= Promise.all([initSatori(yogaWasm), initWasm(resvgWasm)])
    .then(() => undefined)
    .catch((error: unknown) => {
      ready = null;
      throw error;
    });
  return ready;
}

const FONTS = [
  { name: "Inter", data: interRegular, weight: 400 as const, style: "normal" as const },
  { name: "Inter", data: interBold, weight: 700 as const, style: "normal" as const },
];

/** Renders `element` to a `width`×`height` PNG. */
export async function renderPng(element: Node, width: number, height: number): Promise<Uint8Array<ArrayBuffer>> {
  await initialise();
  const svg = await satori(element as never, { width, height, fonts: FONTS });
  const resvg = new Resvg(svg, { fitTo: { mode: "width", value: width } });
  try {
    const image = resvg.render();
    try {
      return new Uint8Array(image.asPng());
    } finally {
      image.free();
    }
  } finally {
    resvg.free();
  }
}
