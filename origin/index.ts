// The origin Worker: the issuer API (fetch) and its queue consumers (queue).
import { createApp } from "./app.ts";
import type { OriginEnv } from "./env.ts";

const app = createApp();

export default {
  fetch: (request, env, ctx) => app.fetch(request, env, ctx),
} satisfies ExportedHandler<OriginEnv>;
