// docs/api.md "Error codes" must say what the registry says: every code under its status, edge-only
// codes after "edge:", and no code the registry does not hold.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { PROBLEM_CODES, PROBLEMS } from "./problem-codes.ts";

const DOC = new URL("../../docs/api.md", import.meta.url);

/** status → the codes the table lists for it, split at "edge:". */
function documentedCodes(markdown: string): Map<number, { issuerApi: string[]; edge: string[] }> {
  const section = markdown.slice(markdown.indexOf("## Error codes"));
  const table = section.slice(0, section.indexOf("\n## ") === -1 ? undefined : section.indexOf("\n## "));
  const rows = new Map<number, { issuerApi: string[]; edge: string[] }>();
  for (const line of table.split("\n")) {
    const row = /^\| (\d{3}) \| (.*) \|$/.exec(line);
    if (!row) continue;
    const [before, after = ""] = row[2]!.split("edge:");
    const codes = (text: string) => [...text.matchAll(/`([A-Z][A-Z0-9_]*)`/g)].map((m) => m[1]!);
    rows.set(Number(row[1]), { issuerApi: codes(before!), edge: codes(after) });
  }
  return rows;
}

describe("docs/api.md error codes", () => {
  const rows = documentedCodes(readFileSync(DOC, "utf8"));

  it("lists every registered code under its status, edge-only codes after edge:", () => {
    const expected = new Map<number, { issuerApi: string[]; edge: string[] }>();
    for (const code of PROBLEM_CODES) {
      const { status, worker } = PROBLEMS[code];
      const row = expected.get(status) ?? { issuerApi: [], edge: [] };
      (worker === "edge" ? row.edge : row.issuerApi).push(code);
      expected.set(status, row);
    }
    const sorted = (m: Map<number, { issuerApi: string[]; edge: string[] }>) =>
      [...m].sort(([a], [b]) => a - b).map(([status, r]) => ({ status, issuerApi: [...r.issuerApi].sort(), edge: [...r.edge].sort() }));
    expect(sorted(rows)).toEqual(sorted(expected));
  });

  it("names each code once", () => {
    const all = [...rows.values()].flatMap((r) => [...r.issuerApi, ...r.edge]);
    expect(all.length).toBe(new Set(all).size);
  });
});
