// What the local stand-in servers (mail outbox, OTLP receiver) share: a constant-time bearer-token
// check and a request body read with a size cap.
import { timingSafeEqual } from "node:crypto";
import type http from "node:http";

/** True when the request carries `Authorization: Bearer <token>` (compared in constant time). */
export function bearerAuthorized(req: http.IncomingMessage, token: string): boolean {
  const given = Buffer.from(req.headers.authorization ?? "");
  const expected = Buffer.from(`Bearer ${token}`);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** The request body, or null (and the connection closed) once it passes `maxBytes`. */
export function readBodyCapped(req: http.IncomingMessage, maxBytes: number): Promise<Buffer | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) {
        resolve(null);
        req.destroy();
      } else chunks.push(chunk);
    });
    req.on("end", () => resolve(Buffer.concat(chunks)));
    req.on("error", reject);
  });
}
