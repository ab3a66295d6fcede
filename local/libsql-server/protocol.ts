// The JSON shapes of Hrana over HTTP (HTTP_V2_SPEC.md; HRANA_3_SPEC.md "Hrana over HTTP" and
// "Shared structures"), and a decoder that validates a whole pipeline body before anything runs.
// Unknown fields are ignored, as the spec requires for forward compatibility.
import { decodeValue, ProtocolError, type HranaValue, type SqlValue } from "./values.ts";

export type Stmt = {
  sql: string | undefined;
  sqlId: number | undefined;
  args: SqlValue[];
  namedArgs: Array<{ name: string; value: SqlValue }>;
  wantRows: boolean;
};

export type BatchCond =
  | { type: "ok"; step: number }
  | { type: "error"; step: number }
  | { type: "not"; cond: BatchCond }
  | { type: "and"; conds: BatchCond[] }
  | { type: "or"; conds: BatchCond[] }
  | { type: "is_autocommit" };

export type BatchStep = { condition: BatchCond | undefined; stmt: Stmt };

export type StreamRequest =
  | { type: "close" }
  | { type: "execute"; stmt: Stmt }
  | { type: "batch"; steps: BatchStep[] }
  | { type: "sequence"; sql: string | undefined; sqlId: number | undefined }
  | { type: "describe"; sql: string | undefined; sqlId: number | undefined }
  | { type: "store_sql"; sqlId: number; sql: string }
  | { type: "close_sql"; sqlId: number }
  | { type: "get_autocommit" };

export type PipelineRequest = { baton: string | null; requests: StreamRequest[] };

export type HranaErrorJson = { message: string; code: string };

export type Col = { name: string | null; decltype: string | null };

export type StmtResult = {
  cols: Col[];
  rows: HranaValue[][];
  affected_row_count: number;
  last_insert_rowid: string | null;
};

export type BatchResult = {
  step_results: Array<StmtResult | null>;
  step_errors: Array<HranaErrorJson | null>;
};

export type DescribeResult = {
  params: Array<{ name: string | null }>;
  cols: Array<{ name: string; decltype: string | null }>;
  is_explain: boolean;
  is_readonly: boolean;
};

export type StreamResponse =
  | { type: "close" }
  | { type: "execute"; result: StmtResult }
  | { type: "batch"; result: BatchResult }
  | { type: "sequence" }
  | { type: "describe"; result: DescribeResult }
  | { type: "store_sql" }
  | { type: "close_sql" }
  | { type: "get_autocommit"; is_autocommit: boolean };

export type StreamResult = { type: "ok"; response: StreamResponse } | { type: "error"; error: HranaErrorJson };

export type PipelineResponse = { baton: string | null; base_url: string | null; results: StreamResult[] };

type Obj = Record<string, unknown>;

const MAX_COND_DEPTH = 64;
const INT32_MIN = -(2 ** 31);
const INT32_MAX = 2 ** 31 - 1;

function object(raw: unknown, where: string): Obj {
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) {
    throw new ProtocolError(`${where}: expected an object`);
  }
  return raw as Obj;
}

function array(raw: unknown, where: string): unknown[] {
  if (!Array.isArray(raw)) throw new ProtocolError(`${where}: expected an array`);
  return raw;
}

function optArray(raw: unknown, where: string): unknown[] {
  return raw === undefined || raw === null ? [] : array(raw, where);
}

function optString(raw: unknown, where: string): string | undefined {
  if (raw === undefined || raw === null) return undefined;
  if (typeof raw !== "string") throw new ProtocolError(`${where}: expected a string`);
  return raw;
}

function int32(raw: unknown, where: string): number {
  if (typeof raw !== "number" || !Number.isInteger(raw) || raw < INT32_MIN || raw > INT32_MAX) {
    throw new ProtocolError(`${where}: expected a 32-bit integer`);
  }
  return raw;
}

function optInt32(raw: unknown, where: string): number | undefined {
  return raw === undefined || raw === null ? undefined : int32(raw, where);
}

/** `sql` / `sql_id`: exactly one of the two must be given. */
function sqlSource(o: Obj, where: string): { sql: string | undefined; sqlId: number | undefined } {
  const sql = optString(o.sql, `${where}.sql`);
  const sqlId = optInt32(o.sql_id, `${where}.sql_id`);
  if ((sql === undefined) === (sqlId === undefined)) {
    throw new ProtocolError(`${where}: exactly one of "sql" and "sql_id" must be given`);
  }
  return { sql, sqlId };
}

function decodeStmt(raw: unknown, where: string): Stmt {
  const o = object(raw, where);
  const { sql, sqlId } = sqlSource(o, where);
  const args = optArray(o.args, `${where}.args`).map((v, i) => decodeValue(v, `${where}.args[${i}]`));
  const namedArgs = optArray(o.named_args, `${where}.named_args`).map((a, i) => {
    const arg = object(a, `${where}.named_args[${i}]`);
    if (typeof arg.name !== "string") throw new ProtocolError(`${where}.named_args[${i}].name: expected a string`);
    return { name: arg.name, value: decodeValue(arg.value, `${where}.named_args[${i}].value`) };
  });
  if (o.want_rows !== undefined && o.want_rows !== null && typeof o.want_rows !== "boolean") {
    throw new ProtocolError(`${where}.want_rows: expected a boolean`);
  }
  return { sql, sqlId, args, namedArgs, wantRows: o.want_rows !== false };
}

/** `stepIndex` is the step that owns the condition: it may only look at earlier steps. */
function decodeCond(raw: unknown, where: string, stepIndex: number, depth: number): BatchCond {
  if (depth > MAX_COND_DEPTH) throw new ProtocolError(`${where}: condition nested too deeply`);
  const o = object(raw, where);
  const step = (): number => {
    const s = o.step;
    if (typeof s !== "number" || !Number.isInteger(s) || s < 0 || s >= stepIndex) {
      throw new ProtocolError(`${where}.step: must refer to an earlier step`);
    }
    return s;
  };
  const list = (): BatchCond[] =>
    array(o.conds, `${where}.conds`).map((c, i) => decodeCond(c, `${where}.conds[${i}]`, stepIndex, depth + 1));
  switch (o.type) {
    case "ok":
      return { type: "ok", step: step() };
    case "error":
      return { type: "error", step: step() };
    case "not":
      return { type: "not", cond: decodeCond(o.cond, `${where}.cond`, stepIndex, depth + 1) };
    case "and":
      return { type: "and", conds: list() };
    case "or":
      return { type: "or", conds: list() };
    case "is_autocommit":
      return { type: "is_autocommit" };
    default:
      throw new ProtocolError(`${where}: unknown condition type ${JSON.stringify(o.type)}`);
  }
}

function decodeRequest(raw: unknown, where: string): StreamRequest {
  const o = object(raw, where);
  switch (o.type) {
    case "close":
      return { type: "close" };
    case "execute":
      return { type: "execute", stmt: decodeStmt(o.stmt, `${where}.stmt`) };
    case "batch": {
      const batch = object(o.batch, `${where}.batch`);
      const steps = array(batch.steps, `${where}.batch.steps`).map((s, i) => {
        const stepWhere = `${where}.batch.steps[${i}]`;
        const step = object(s, stepWhere);
        const condition =
          step.condition === undefined || step.condition === null
            ? undefined
            : decodeCond(step.condition, `${stepWhere}.condition`, i, 0);
        return { condition, stmt: decodeStmt(step.stmt, `${stepWhere}.stmt`) };
      });
      return { type: "batch", steps };
    }
    case "sequence":
    case "describe":
      return { type: o.type, ...sqlSource(o, where) };
    case "store_sql": {
      if (typeof o.sql !== "string") throw new ProtocolError(`${where}.sql: expected a string`);
      return { type: "store_sql", sqlId: int32(o.sql_id, `${where}.sql_id`), sql: o.sql };
    }
    case "close_sql":
      return { type: "close_sql", sqlId: int32(o.sql_id, `${where}.sql_id`) };
    case "get_autocommit":
      return { type: "get_autocommit" };
    default:
      throw new ProtocolError(`${where}: unknown request type ${JSON.stringify(o.type)}`);
  }
}

/** Validates and decodes a parsed `POST /v2|v3/pipeline` body; throws {@link ProtocolError}. */
export function decodePipelineRequest(raw: unknown): PipelineRequest {
  const body = object(raw, "body");
  const baton = optString(body.baton, "baton") ?? null;
  const requests = array(body.requests, "requests").map((r, i) => decodeRequest(r, `requests[${i}]`));
  return { baton, requests };
}
