// A small SQLite tokenizer. The `libsql` package compiles only the first statement of a string
// and silently ignores the rest, and it exposes neither parameter names nor counts, so the server
// needs its own view of statement boundaries and parameter slots. It follows SQLite's lexical
// rules (tokenize.c): quotes, comments, `?NNN`/`:name`/`@name`/`$name` parameters, and the
// `CREATE TRIGGER ... BEGIN ... END` bodies whose semicolons do not end the statement.

type Token =
  | { kind: "word"; upper: string; start: number }
  | { kind: "param"; text: string; start: number }
  | { kind: "semi"; start: number }
  | { kind: "other"; start: number };

const SPACE = /[ \t\n\f\r]/;
const ID_START = /[A-Za-z_\u0080-\uffff]/;
const ID_CHAR = /[A-Za-z0-9_$\u0080-\uffff]/;

function skipQuoted(sql: string, from: number, close: string): number {
  let i = from + 1;
  for (;;) {
    const end = sql.indexOf(close, i);
    if (end < 0) return sql.length;
    // '' and "" escape the quote character; [ ] has no escape.
    if (close !== "]" && sql[end + 1] === close) {
      i = end + 2;
      continue;
    }
    return end + 1;
  }
}

function skipIdChars(sql: string, from: number): number {
  let i = from;
  while (i < sql.length && ID_CHAR.test(sql[i]!)) i++;
  return i;
}

function* tokenize(sql: string): Generator<Token> {
  const n = sql.length;
  let i = 0;
  while (i < n) {
    const c = sql[i]!;
    const start = i;
    if (SPACE.test(c)) {
      i++;
    } else if (c === "-" && sql[i + 1] === "-") {
      const end = sql.indexOf("\n", i);
      i = end < 0 ? n : end + 1;
    } else if (c === "/" && sql[i + 1] === "*") {
      const end = sql.indexOf("*/", i + 2);
      i = end < 0 ? n : end + 2;
    } else if (c === "'" || c === '"' || c === "`") {
      i = skipQuoted(sql, i, c);
      yield { kind: "other", start };
    } else if (c === "[") {
      i = skipQuoted(sql, i, "]");
      yield { kind: "other", start };
    } else if (c === ";") {
      i++;
      yield { kind: "semi", start };
    } else if (c === "?") {
      i++;
      while (i < n && /[0-9]/.test(sql[i]!)) i++;
      yield { kind: "param", text: sql.slice(start, i), start };
    } else if ((c === ":" || c === "@") && i + 1 < n && ID_CHAR.test(sql[i + 1]!)) {
      i = skipIdChars(sql, i + 1);
      yield { kind: "param", text: sql.slice(start, i), start };
    } else if (c === "$" && i + 1 < n && ID_CHAR.test(sql[i + 1]!)) {
      // TCL-style names may contain "::" and end with a "(...)" suffix.
      i = skipIdChars(sql, i + 1);
      while (sql.startsWith("::", i)) i = skipIdChars(sql, i + 2);
      if (sql[i] === "(") {
        const end = sql.indexOf(")", i);
        i = end < 0 ? n : end + 1;
      }
      yield { kind: "param", text: sql.slice(start, i), start };
    } else if (ID_START.test(c)) {
      i = skipIdChars(sql, i + 1);
      yield { kind: "word", upper: sql.slice(start, i).toUpperCase(), start };
    } else if (/[0-9]/.test(c) || (c === "." && /[0-9]/.test(sql[i + 1] ?? ""))) {
      i++;
      while (i < n && /[0-9A-Za-z_.]/.test(sql[i]!)) {
        // exponent sign: 1e+5
        if (/[eE]/.test(sql[i]!) && /[+-]/.test(sql[i + 1] ?? "")) i++;
        i++;
      }
      yield { kind: "other", start };
    } else {
      i++;
      yield { kind: "other", start };
    }
  }
}

/** One statement's tokens (semicolon excluded), in source order. */
function* statements(sql: string): Generator<Token[]> {
  let current: Token[] = [];
  let words: string[] = [];
  let depth = 0;
  for (const token of tokenize(sql)) {
    if (token.kind === "semi" && depth === 0) {
      if (current.length > 0) yield current;
      current = [];
      words = [];
      continue;
    }
    current.push(token);
    if (token.kind !== "word") continue;
    if (words.length < 3) words.push(token.upper);
    const isTrigger =
      words[0] === "CREATE" &&
      (words[1] === "TRIGGER" ||
        ((words[1] === "TEMP" || words[1] === "TEMPORARY") && words[2] === "TRIGGER"));
    if (!isTrigger) continue;
    if (token.upper === "BEGIN" || token.upper === "CASE") depth++;
    else if (token.upper === "END" && depth > 0) depth--;
  }
  if (current.length > 0) yield current;
}

/** Number of non-empty statements in `sql` (comments and bare semicolons do not count). */
export function countStatements(sql: string): number {
  let count = 0;
  for (const _ of statements(sql)) count++;
  return count;
}

/** The first keyword of the first statement, upper-cased ("" if none). */
export function firstKeyword(sql: string): string {
  for (const token of tokenize(sql)) {
    return token.kind === "word" ? token.upper : "";
  }
  return "";
}

// SQLITE_MAX_VARIABLE_NUMBER default; larger indexes fail to prepare anyway.
const MAX_PARAMS = 32766;

/**
 * Parameter slots of the first statement, numbered as SQLite numbers them: `slots[i]` is the
 * name of parameter i+1 (`":a"`, `"?3"`), or null for a bare `?` or a number never used.
 */
export function parameterSlots(sql: string): Array<string | null> {
  const slots: Array<string | null> = [];
  const byName = new Map<string, number>();
  for (const stmt of statements(sql)) {
    for (const token of stmt) {
      if (token.kind !== "param") continue;
      let index: number;
      if (token.text === "?") {
        index = slots.length + 1;
      } else if (token.text.startsWith("?")) {
        index = Number(token.text.slice(1));
        if (!Number.isInteger(index) || index < 1 || index > MAX_PARAMS) continue;
      } else {
        index = byName.get(token.text) ?? slots.length + 1;
      }
      if (index > MAX_PARAMS) continue;
      while (slots.length < index) slots.push(null);
      const name = token.text === "?" ? null : token.text;
      if (name !== null) {
        byName.set(name, index);
        slots[index - 1] ??= name;
      }
    }
    break; // only the first statement
  }
  return slots;
}

/** What the server needs to know of a SQL text before running it. */
export interface SqlFacts {
  statementCount: number;
  firstKeyword: string;
  parameterSlots: Array<string | null>;
}

// Clients send the same few texts again and again; tokenizing each one every time was a visible
// share of the server's CPU under load. Bounded, cleared when full.
const facts = new Map<string, SqlFacts>();
const MAX_FACTS = 2000;

/** `countStatements`, `firstKeyword` and `parameterSlots` of `sql`, memoised. */
export function sqlFacts(sql: string): SqlFacts {
  let known = facts.get(sql);
  if (!known) {
    known = { statementCount: countStatements(sql), firstKeyword: firstKeyword(sql), parameterSlots: parameterSlots(sql) };
    if (facts.size >= MAX_FACTS) facts.clear();
    facts.set(sql, known);
  }
  return known;
}
