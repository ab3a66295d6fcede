// Structured logs: one JSON object per line on stdout, the shape every service shares
// (ts, level, service, requestId, orgId, operation, durationMs, status, ...).

/** `alert`: an alert firing or resolving (docs/operations.md "Alerts"), the level log-based paging keys on. */
export type LogLevel = "debug" | "info" | "warn" | "error" | "alert";
export type LogFields = Record<string, unknown>;

/** A logger bound to fixed fields (service, requestId, orgId...); `child` adds more. */
export interface Logger {
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
  alert(message: string, fields?: LogFields): void;
  child(fields: LogFields): Logger;
  readonly fields: LogFields;
}

// Keys whose values must never reach a log line, whatever the caller passes.
const SECRET_KEYS = /^(authorization|apikey|api_key|secret|password|token|jwt|privatekey|private_key|d)$/i;

function redact(fields: LogFields): LogFields {
  const out: LogFields = {};
  for (const [key, value] of Object.entries(fields)) {
    if (value === undefined) continue;
    out[key] = SECRET_KEYS.test(key) ? "[redacted]" : value instanceof Error ? errorFields(value) : value;
  }
  return out;
}

// drizzle's DrizzleQueryError puts the bound parameters (emails, JWTs, revocation reasons) at the
// end of its message ("Failed query: <sql>\nparams: ..."), and so in its stack: only the
// statement's shape is logged.
function withoutParams(message: string): string {
  const at = message.indexOf("\nparams: ");
  return at < 0 ? message : `${message.slice(0, at)}\nparams: [redacted]`;
}

function errorFields(error: Error, depth = 0): LogFields {
  const message = withoutParams(error.message);
  const stack = message === error.message ? error.stack : error.stack?.replace(error.message, () => message);
  const fields: LogFields = { name: error.name, message, stack: stack?.split("\n").slice(0, 6).join("\n") };
  // Driver codes (libSQL: SQLITE_BUSY, SQLITE_CONSTRAINT...) and the cause chain: drizzle wraps
  // every database error as "Failed query: <sql>", with the driver's error only as `cause`.
  const code = (error as { code?: unknown }).code;
  if (typeof code === "string" || typeof code === "number") fields.code = code;
  const cause = (error as { cause?: unknown }).cause;
  if (cause instanceof Error && depth < 3) fields.cause = errorFields(cause, depth + 1);
  else if (cause !== undefined && depth < 3) fields.cause = String(cause);
  return fields;
}

/** Creates a logger writing JSON lines through `console` (workerd and Node both forward it to stdout). */
export function createLogger(fields: LogFields & { service: string }): Logger {
  const write = (level: LogLevel, message: string, extra?: LogFields) => {
    const line = JSON.stringify({ ts: new Date().toISOString(), level, ...redact(fields), message, ...redact(extra ?? {}) });
    if (level === "error" || level === "alert") console.error(line);
    else console.log(line);
  };
  return {
    fields,
    debug: (m, f) => write("debug", m, f),
    info: (m, f) => write("info", m, f),
    warn: (m, f) => write("warn", m, f),
    error: (m, f) => write("error", m, f),
    alert: (m, f) => write("alert", m, f),
    child: (more) => createLogger({ ...fields, ...more }),
  };
}
