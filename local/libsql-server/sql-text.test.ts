// The tokenizer decides "one statement or several" and where named arguments bind: it must
// agree with SQLite on quotes, comments, trigger bodies and parameter numbering.
import Database from "libsql";
import { describe, expect, it } from "vitest";
import { countStatements, firstKeyword, parameterSlots } from "./sql-text.ts";

describe("countStatements", () => {
  it.each([
    ["", 0],
    ["  ;; -- only a comment; really\n /* block; */ ", 0],
    ["SELECT 1", 1],
    ["SELECT 1;", 1],
    ["SELECT ';' AS a, \"x;y\" AS [b;c], `d;e` -- ; \n FROM t", 1],
    ["SELECT 'it''s; fine'", 1],
    ["SELECT 1; SELECT 2", 2],
    ["INSERT INTO t VALUES (1);\nDELETE FROM t; /* trailing */", 2],
    ["CREATE TRIGGER tr AFTER INSERT ON t BEGIN INSERT INTO u VALUES (1); UPDATE u SET v = CASE WHEN 1 THEN 2 END; END", 1],
    ["CREATE TEMP TRIGGER tr AFTER INSERT ON t BEGIN SELECT 1; END; SELECT 2", 2],
    ["SELECT 1 /* unterminated comment; SELECT 2", 1],
  ])("%j has %i statement(s)", (sql, expected) => {
    expect(countStatements(sql)).toBe(expected);
  });
});

describe("firstKeyword", () => {
  it("skips comments and whitespace", () => {
    expect(firstKeyword(" -- c\n /* x */ explain query plan SELECT 1")).toBe("EXPLAIN");
    expect(firstKeyword("")).toBe("");
  });
});

describe("parameterSlots", () => {
  it("numbers parameters as SQLite does", () => {
    expect(parameterSlots("SELECT ?, :a, ?5, ?, :a, @b, $c::d(e), ?2")).toEqual([null, ":a", null, null, "?5", null, "@b", "$c::d(e)"]);
    expect(parameterSlots("SELECT ':a', \"?\", x'00' -- ?\n, :real")).toEqual([":real"]);
  });

  it("agrees with SQLite on which value each parameter receives", () => {
    const db = new Database(":memory:");
    const sql = "SELECT ?, :a, ?5, ?, :a, @b, ?2";
    const slots = parameterSlots(sql);
    const values = slots.map((_, i) => `p${i + 1}`);
    expect(db.prepare(sql).raw(true).all(values)).toEqual([["p1", "p2", "p5", "p6", "p2", "p7", "p2"]]);
    expect(slots.indexOf(":a") + 1).toBe(2);
    expect(slots.indexOf("@b") + 1).toBe(7);
    db.close();
  });
});
