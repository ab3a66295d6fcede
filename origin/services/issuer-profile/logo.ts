// The issuer logo: checked (format sniffed from the bytes, size, pixel size, decodable), stored
// content-addressed in `issuer_logos`, made the org's current one (`orgs.logo_digest`), and served
// by the origin at `<ORIGIN_BASE_URL>/logos/<digest>.<png|jpg>` (routes/issuer-logo.ts), the URL new
// credentials carry as their issuer Profile's `image` and that emails show. PNG and JPEG only: an
// SVG can carry script.
import { PDFDocument } from "pdf-lib";
import type { Database } from "../../db/client.ts";
import { originSetting, type OriginEnv } from "../../env.ts";
import { readImageHeader, type ImageHeader } from "./image-header.ts";

export const LOGO_MAX_BYTES = 256 * 1024;
export const LOGO_MAX_SIDE = 2048;

export interface StoredLogo {
  digest: string;
  contentType: ImageHeader["contentType"];
}

/** Why a logo is refused: the rule it broke, for a 422 naming it. */
export interface LogoRefusal {
  rule: "max-bytes" | "format" | "max-dimensions" | "decodable";
  detail: string;
}

/** The image's header when the bytes are an acceptable logo, else the rule they break. */
export async function checkLogo(bytes: Uint8Array): Promise<ImageHeader | LogoRefusal> {
  if (bytes.length === 0 || bytes.length > LOGO_MAX_BYTES) {
    return { rule: "max-bytes", detail: `must be a non-empty image of at most ${LOGO_MAX_BYTES / 1024} KB` };
  }
  const header = readImageHeader(bytes);
  if (!header) return { rule: "format", detail: "must be a PNG or JPEG image (SVG and other formats are not accepted)" };
  if (header.width < 1 || header.height < 1 || header.width > LOGO_MAX_SIDE || header.height > LOGO_MAX_SIDE) {
    return { rule: "max-dimensions", detail: `must be at most ${LOGO_MAX_SIDE}×${LOGO_MAX_SIDE} pixels` };
  }
  // The certificate renderer embeds it with pdf-lib: what pdf-lib cannot read is refused now, not at render time.
  try {
    const doc = await PDFDocument.create();
    if (header.contentType === "image/png") await doc.embedPng(bytes);
    else await doc.embedJpg(bytes);
  } catch {
    return { rule: "decodable", detail: "must be a readable PNG or JPEG image (this one is damaged or uses an unsupported encoding)" };
  }
  return header;
}

async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
  return [...digest].map((b) => b.toString(16).padStart(2, "0")).join("");
}

/** Stores a checked logo and makes it the org's current one (one transaction); returns it. */
export async function setLogo(db: Database, orgId: string, bytes: Uint8Array, header: ImageHeader): Promise<StoredLogo> {
  const digest = await sha256Hex(bytes);
  await db.$client.batch(
    [
      {
        sql: `INSERT INTO issuer_logos (org_id, digest, content_type, bytes, width, height, created_at)
              VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
        args: [orgId, digest, header.contentType, bytes, header.width, header.height, Date.now()],
      },
      { sql: "UPDATE orgs SET logo_digest = ? WHERE id = ?", args: [digest, orgId] },
    ],
    "write",
  );
  return { digest, contentType: header.contentType };
}

/**
 * Removes the org's current logo: new credentials, emails and certificates have none. The stored
 * image stays, as credentials issued with it name its URL. Returns whether there was one.
 */
export async function removeLogo(db: Database, orgId: string): Promise<boolean> {
  const result = await db.$client.execute({ sql: "UPDATE orgs SET logo_digest = NULL WHERE id = ? AND logo_digest IS NOT NULL", args: [orgId] });
  return result.rowsAffected > 0;
}

/** The org's current logo, or null. */
export async function currentLogo(db: Database, orgId: string): Promise<StoredLogo | null> {
  const result = await db.$client.execute({
    sql: "SELECT l.digest, l.content_type FROM orgs AS o JOIN issuer_logos AS l ON l.org_id = o.id AND l.digest = o.logo_digest WHERE o.id = ?",
    args: [orgId],
  });
  const row = result.rows[0];
  return row ? { digest: String(row.digest), contentType: String(row.content_type) === "image/jpeg" ? "image/jpeg" : "image/png" } : null;
}

/** A stored logo's bytes by digest (any org: the digest names the content), or null. */
export async function loadLogo(db: Database, digest: string): Promise<{ contentType: StoredLogo["contentType"]; bytes: Uint8Array } | null> {
  if (!/^[0-9a-f]{64}$/.test(digest)) return null;
  const result = await db.$client.execute({ sql: "SELECT content_type, bytes FROM issuer_logos WHERE digest = ? LIMIT 1", args: [digest] });
  const row = result.rows[0];
  if (!row) return null;
  const raw = row.bytes as ArrayBuffer | Uint8Array;
  return {
    contentType: String(row.content_type) === "image/jpeg" ? "image/jpeg" : "image/png",
    bytes: raw instanceof Uint8Array ? raw : new Uint8Array(raw),
  };
}

const EXTENSIONS = { "image/png": "png", "image/jpeg": "jpg" } as const;

/** `<ORIGIN_BASE_URL>/logos/<digest>.<png|jpg>`: the logo's public, immutable URL. */
export function logoUrl(env: Pick<OriginEnv, "ORIGIN_BASE_URL">, logo: StoredLogo): string {
  return `${originSetting(env, "ORIGIN_BASE_URL")}/logos/${logo.digest}.${EXTENSIONS[logo.contentType]}`;
}

/** The digest of one of our logo URLs (as `logoUrl` makes them), or null for any other URL. */
export function logoDigestOfUrl(env: Pick<OriginEnv, "ORIGIN_BASE_URL">, url: string): string | null {
  const prefix = `${originSetting(env, "ORIGIN_BASE_URL")}/logos/`;
  if (!url.startsWith(prefix)) return null;
  const match = /^([0-9a-f]{64})\.(png|jpg)$/.exec(url.slice(prefix.length));
  return match ? match[1]! : null;
}
