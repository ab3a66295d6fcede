// Field schemas several routes share.
import { z } from "@hono/zod-openapi";

const LOCAL_HOSTS = new Set(["localhost", "127.0.0.1", "[::1]"]);

/**
 * An https URL (http only for localhost, for local development). Stored and put in credentials,
 * never fetched by the origin, so it cannot be used for SSRF.
 */
export const HttpsUrl = z
  .string()
  .max(2048)
  .refine(
    (value) => {
      try {
        const url = new URL(value);
        return url.protocol === "https:" || (url.protocol === "http:" && LOCAL_HOSTS.has(url.hostname));
      } catch {
        return false;
      }
    },
    { message: "must be an https URL (http only for localhost)" },
  )
  .openapi({ format: "uri", example: "https://example.edu/badges/intro.png" });

/** An object id in the path (a UUID; anything else simply matches nothing and answers 404). */
export const IdParam = z.object({
  id: z.string().min(1).max(64).openapi({ param: { name: "id", in: "path" }, example: "0b9f3c1e-4a55-4d0c-8b8e-1c3f2a9d7e61" }),
});
