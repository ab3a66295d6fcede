// libsql connections to the database file, and a small pool of idle ones. A connection serves
// one stream at a time; reusing it for later streams avoids reopening the file on every request
// and, above all, the pile-up of file descriptors: the binding only frees a closed connection
// once the garbage collector has finalized its statements.
import Database from "libsql";

export type Connection = InstanceType<typeof Database>;

// Every connection starts (and returns to the pool) in this state. busy_timeout 0: a lock wait
// inside SQLite would block the event loop (see write-lock.ts). synchronous NORMAL is the usual
// WAL setting: no fsync per commit, still safe against corruption. sqld enables foreign keys.
const BASELINE = `
  PRAGMA busy_timeout = 0;
  PRAGMA synchronous = NORMAL;
  PRAGMA foreign_keys = ON;
  PRAGMA query_only = OFF;
  PRAGMA recursive_triggers = OFF;
`;

// Connection state a client can create that the baseline does not undo.
const LEFTOVERS = `
  SELECT (SELECT count(*) FROM temp.sqlite_schema)
       + (SELECT count(*) FROM pragma_database_list WHERE name NOT IN ('main', 'temp'))
`;

// Connections whose settings a client may have changed (it ran a PRAGMA, or a `sequence`, which
// can hold anything): only these get the baseline again when they return to the pool. Running
// it on every return cost five statements per request.
const changedSettings = new WeakSet<Connection>();

/** Notes that `sql`, about to run on `conn`, may change the connection's settings. */
export function noteSettingsChange(conn: Connection, firstKeyword: string | null): void {
  if (firstKeyword === null || firstKeyword === "PRAGMA") changedSettings.add(conn);
}

const leftoverQueries = new WeakMap<Connection, ReturnType<Connection["prepare"]>>();

function leftovers(conn: Connection): number {
  let query = leftoverQueries.get(conn);
  if (!query) leftoverQueries.set(conn, (query = conn.prepare(LEFTOVERS).raw(true)));
  return Number((query.all([]) as unknown[][])[0]?.[0]);
}

export function openConnection(file: string): Connection {
  const conn = new Database(file);
  conn.exec(BASELINE);
  return conn;
}

export class ConnectionPool {
  readonly file: string;
  readonly #maxIdle: number;
  #idle: Connection[] = [];

  constructor(file: string, maxIdle = 16) {
    this.file = file;
    this.#maxIdle = maxIdle;
  }

  take(): Connection {
    return this.#idle.pop() ?? openConnection(this.file);
  }

  /**
   * Takes a connection back, rolled back and reset; one that may hold state from its last
   * stream (temp tables, attached databases), or that `discard` marks, is closed instead.
   */
  give(conn: Connection, discard = false): void {
    try {
      if (conn.inTransaction) conn.exec("ROLLBACK");
      if (!discard && leftovers(conn) === 0 && this.#idle.length < this.#maxIdle) {
        if (changedSettings.delete(conn)) conn.exec(BASELINE);
        this.#idle.push(conn);
        return;
      }
    } catch {
      // not reusable
    }
    conn.close();
  }

  closeAll(): void {
    for (const conn of this.#idle.splice(0)) conn.close();
  }
}
