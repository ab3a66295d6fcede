// Cursor pagination for list routes: newest first, keyset on (created_at, id), so a page is stable
// while rows are added. Cursors are opaque base64url tokens the client hands back unchanged.
import { z } from "@hono/zod-openapi";
import { and, eq, lt, or, type AnyColumn, type SQL } from "drizzle-orm";
import { base64url } from "jose";
import { validationFailed } from "../validation.ts";

export const PAGE_LIMIT_DEFAULT = 20;
export const PAGE_LIMIT_MAX = 100;

/** `?limit&cursor` as every list route accepts them. */
export const PageQuery = z.object({
  limit: z.coerce
    .number()
    .int()
    .min(1)
    .max(PAGE_LIMIT_MAX)
    .default(PAGE_LIMIT_DEFAULT)
    .openapi({ description: `Page size, 1-${PAGE_LIMIT_MAX}.`, example: PAGE_LIMIT_DEFAULT }),
  cursor: z
    .string()
    .max(200)
    .optional()
    .openapi({ description: "The `nextCursor` of the previous page; omit for the first page." }),
});

export interface Position {
  at: number; // created/issued at, epoch ms
  id: string;
}

/** The keyset condition "after `after`" in newest-first order on (time, id); undefined on the first page. */
export function olderThan(timeColumn: AnyColumn, idColumn: AnyColumn, after: Position | null): SQL | undefined {
  if (!after) return undefined;
  const at = new Date(after.at);
  return or(lt(timeColumn, at), and(eq(timeColumn, at), lt(idColumn, after.id)));
}

/** The opaque cursor after `position`. */
export function encodeCursor(position: Position): string {
  return base64url.encode(new TextEncoder().encode(JSON.stringify([position.at, position.id])));
}

/** The position a cursor stands for; 400 VALIDATION_FAILED naming `cursor` when it is not one of ours. */
export function decodeCursor(cursor: string | undefined): Position | null {
  if (cursor === undefined || cursor === "") return null;
  try {
    const json = new TextDecoder().decode(base64url.decode(cursor));
    const value = JSON.parse(json) as unknown;
    if (Array.isArray(value) && value.length === 2 && Number.isSafeInteger(value[0]) && typeof value[1] === "string" && value[1].length <= 64) {
      return { at: value[0] as number, id: value[1] };
    }
  } catch {
    // fall through
  }
  throw validationFailed("query", [{ field: "cursor", rule: "invalid_cursor", detail: "not a cursor returned by this API" }]);
}

/** Splits `limit + 1` fetched rows into the page and the cursor of the next one. */
export function pageOf<T>(rows: T[], limit: number, positionOf: (row: T) => Position): { data: T[]; nextCursor: string | null } {
  if (rows.length <= limit) return { data: rows, nextCursor: null };
  const data = rows.slice(0, limit);
  return { data, nextCursor: encodeCursor(positionOf(data[data.length - 1]!)) };
}
