// One JSON object per line (as the Workers log, README "Observability"): ts, level, service, operation, durationMs, status, ...

export type LogEntry = {
  level: "debug" | "info" | "warn" | "error";
  operation: string;
  [field: string]: unknown;
};

export type Logger = (entry: LogEntry) => void;

/** Writes each entry as one JSON line, starting with `ts`, `level`, `service: "libsql"`. */
export function jsonLineLogger(write: (line: string) => void = (line) => process.stdout.write(line)): Logger {
  return ({ level, ...fields }) => {
    write(`${JSON.stringify({ ts: new Date().toISOString(), level, service: "libsql", ...fields })}\n`);
  };
}

export const silentLogger: Logger = () => {};
