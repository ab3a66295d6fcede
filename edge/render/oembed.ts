// oEmbed 1.0 (https://oembed.com/ §2.3): which URLs we answer for, and the `rich` answer itself.
import type { CredentialProjection } from "../../shared/kv-keys.ts";
import { credentialIdFrom } from "../../shared/ids.ts";
import { credentialUrls } from "../../shared/public-urls.ts";
import { EMBED_SIZE, embedSnippet } from "./embed.ts";

const CREDENTIAL_PATH = /^\/c\/([^/]+)\/?$/;

/** The credential id named by `url` if it is one of this deployment's /c/:id pages, else null. */
export function credentialIdFromPageUrl(url: string | null, baseUrl: string): string | null {
  if (!url) return null;
  let target: URL;
  let base: URL;
  try {
    target = new URL(url);
    base = new URL(baseUrl);
  } catch {
    return null;
  }
  if (target.origin !== base.origin) return null;
  const basePath = base.pathname.replace(/\/+$/, "");
  if (!target.pathname.startsWith(`${basePath}/c/`)) return null;
  const match = CREDENTIAL_PATH.exec(target.pathname.slice(basePath.length));
  return credentialIdFrom(match?.[1]);
}

/** The oEmbed `rich` response for a credential page, within the consumer's maxwidth/maxheight. */
export function buildOembed(p: CredentialProjection, baseUrl: string, max: { maxwidth?: number; maxheight?: number } = {}) {
  const width = Math.max(1, Math.min(EMBED_SIZE.width, max.maxwidth ?? EMBED_SIZE.width));
  const height = Math.max(1, Math.min(EMBED_SIZE.height, max.maxheight ?? EMBED_SIZE.height));
  const title = `${p.achievement.name}: ${p.recipientName}`;
  const html = embedSnippet(baseUrl, p.id, title, { width, height });
  return {
    version: "1.0",
    type: "rich",
    provider_name: "Laurel",
    provider_url: `${baseUrl}/`,
    title,
    author_name: p.issuer.name,
    html,
    width,
    height,
    thumbnail_url: credentialUrls(baseUrl, p.id).card,
    thumbnail_width: 1200,
    thumbnail_height: 627,
    cache_age: 300,
  };
}
