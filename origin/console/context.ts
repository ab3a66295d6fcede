// Hono typing of the console sub-app: the origin's bindings and variables plus the signed-in session
// and the parsed form of a POST.
import type { OriginHono } from "../env.ts";
import type { ConsoleSession } from "../services/sessions/sessions.ts";

export type ConsoleForm = Record<string, string | File | (string | File)[]>;

export interface ConsoleHono {
  Bindings: OriginHono["Bindings"];
  Variables: OriginHono["Variables"] & { session: ConsoleSession; form: ConsoleForm };
}

/** One text value of the parsed form ("" when absent or a file), bounded in length. */
export function formText(form: ConsoleForm, name: string, max = 2_000): string {
  const v = form[name];
  return typeof v === "string" ? v.slice(0, max) : "";
}
