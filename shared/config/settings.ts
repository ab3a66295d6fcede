// A Worker's settings (vars and secrets) parsed with one schema: each Worker declares its settings
// in its env.ts, checks them all once per environment before serving, and reads each setting
// through the same schema, so a missing or malformed setting is reported by name, with its rule,
// instead of failing somewhere inside a request.
import * as z from "zod/mini";
import { problemBody, problemJson } from "../http/problem.ts";
import type { Logger } from "../observability/logger.ts";
import { normalizePublicBaseUrl, PublicBaseUrlError } from "../public-urls.ts";

/** A setting that is missing or breaks its rule. The message names both, never the value (it may be a secret). */
export class SettingError extends Error {
  override readonly name = "SettingError";
  readonly setting: string;
  readonly rule: string;
  constructor(setting: string, rule: string) {
    super(`${setting} ${rule}`);
    this.setting = setting;
    this.rule = rule;
  }
}

type Shape = Record<string, z.ZodMiniType>;
type SettingsOf<S extends Shape> = { [K in keyof S]: z.output<S[K]> };

/** What `defineSettings` returns: one setting, or all of them checked at once. */
export interface Settings<S extends Shape> {
  /** The parsed value of one setting of `env` (memoized per env object); throws SettingError. */
  read<K extends keyof S & string>(env: { readonly [P in K]?: unknown }, name: K): z.output<S[K]>;
  /** Every setting parsed (memoized per env object); throws the first SettingError. */
  check(env: object): SettingsOf<S>;
}

const SETTINGS_SOURCE = Symbol("settings source");

/**
 * Marks `copy` as having the same settings as `source` (it differs only in bindings or per-request
 * values), so settings parsed for `source` are not parsed again for every copy.
 */
export function withSameSettings<E extends object>(copy: E, source: object): E {
  Object.defineProperty(copy, SETTINGS_SOURCE, { value: (source as { [SETTINGS_SOURCE]?: object })[SETTINGS_SOURCE] ?? source });
  return copy;
}

/**
 * Declares a Worker's settings: `shape` maps each binding name to its zod schema, whose messages
 * state the rule ("must be ..."). An unset setting is `undefined` to its schema; an empty string
 * counts as unset, as wrangler passes `NAME=""` for a var left blank.
 */
export function defineSettings<S extends Shape>(shape: S): Settings<S> {
  // Parsed once per env object: workerd hands the same env to every request of an isolate, and a
  // test's `{ ...env, NAME: "x" }` is a new object, parsed afresh. A copy that only swaps bindings
  // (`withSameSettings`) shares its source's parsed values.
  const parsed = new WeakMap<object, Map<string, unknown>>();
  const read = <K extends keyof S & string>(env: { readonly [P in K]?: unknown }, name: K): z.output<S[K]> => {
    const key = (env as { [SETTINGS_SOURCE]?: object })[SETTINGS_SOURCE] ?? env;
    let values = parsed.get(key);
    if (!values) parsed.set(key, (values = new Map()));
    if (values.has(name)) return values.get(name) as z.output<S[K]>;
    const raw = env[name];
    const result = z.safeParse(shape[name]!, raw === "" ? undefined : raw);
    if (!result.success) {
      const rule = raw === undefined || raw === "" ? "is required" : (result.error.issues[0]?.message ?? "is malformed");
      throw new SettingError(name, rule);
    }
    values.set(name, result.data);
    return result.data as z.output<S[K]>;
  };
  return {
    read,
    check(env) {
      const all = {} as SettingsOf<S>;
      for (const name of Object.keys(shape) as (keyof S & string)[]) all[name] = read(env as { readonly [P in typeof name]?: unknown }, name);
      return all;
    },
  };
}

// Each broken setting is logged once per isolate, not on every request it refuses.
const reported = new Set<string>();

/**
 * The 503 `NOT_CONFIGURED` problem answer for a broken setting. Unlike other 5xx answers its detail
 * is specific: it names the setting and the rule (never the value), which is what an operator needs.
 */
export function notConfiguredResponse(error: SettingError, requestId: string, log?: Logger): Response {
  if (log && !reported.has(error.message)) {
    reported.add(error.message);
    log.error("setting missing or malformed", { setting: error.setting, rule: error.rule });
  }
  return problemJson({ ...problemBody(503, "NOT_CONFIGURED", "", requestId), detail: `The setting ${error.message}.` });
}

/** A zod schema for a whole number in [min, max] given as a string or number; `rule` is its message. */
export function wholeNumber(min: number, max: number, rule: string) {
  return z.pipe(
    z.union([z.string(), z.number()], { error: rule }),
    z.pipe(
      z.transform((raw: string | number) => (typeof raw === "number" ? raw : /^\s*-?\d+\s*$/.test(raw) ? Number(raw) : NaN)),
      z.number({ error: rule }).check(z.int({ error: rule }), z.gte(min, { error: rule }), z.lte(max, { error: rule })),
    ),
  );
}

/** PUBLIC_BASE_URL in canonical form (shared/public-urls.ts); the one rule both Workers' settings use. */
export const publicBaseUrlSetting = z.pipe(
  z.string({ error: "must be an absolute http(s) URL" }),
  z.transform((raw: string, ctx) => {
    try {
      return normalizePublicBaseUrl(raw);
    } catch (error) {
      ctx.issues.push({ code: "custom", input: raw, message: error instanceof PublicBaseUrlError ? error.message : "is malformed" });
      return z.NEVER;
    }
  }),
);
