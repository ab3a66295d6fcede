// The coalescer joins concurrent loads by sharing settled results only.
import { describe, expect, it } from "vitest";
import { LoadCoalescer } from "./coalesce.ts";

describe("LoadCoalescer", () => {
  it("runs one load for concurrent callers of a key and hands each the settled result", async () => {
    const loads = new LoadCoalescer<string>(5_000);
    let calls = 0;
    const load = async () => {
      calls++;
      await new Promise((resolve) => setTimeout(resolve, 50));
      return "value";
    };
    expect(await Promise.all(Array.from({ length: 5 }, () => loads.run("k", load)))).toEqual(Array(5).fill("value"));
    expect(calls).toBe(1);
    // A later caller loads again: results serve only those who waited.
    expect(await loads.run("k", load)).toBe("value");
    expect(calls).toBe(2);
  });

  it("keeps nothing of a rejected load: waiters and later callers load for themselves", async () => {
    const loads = new LoadCoalescer<string>(5_000);
    let calls = 0;
    const failing = loads.run("k", async () => {
      calls++;
      await new Promise((resolve) => setTimeout(resolve, 30));
      throw new Error("origin down");
    });
    const waiter = loads.run("k", async () => (calls++, "own"));
    await expect(failing).rejects.toThrow("origin down");
    expect(await waiter).toBe("own");
    expect(await loads.run("k", async () => (calls++, "later"))).toBe("later");
    expect(calls).toBe(3);
  });

  it("does not let a load that never settles hold up the others beyond the wait", async () => {
    const loads = new LoadCoalescer<string>(100);
    void loads.run("k", () => new Promise<string>(() => {}));
    expect(await loads.run("k", async () => "own")).toBe("own");
  });

  it("never hands a waiter an earlier load's result when the load it waited on fails", async () => {
    const loads = new LoadCoalescer<string>(5_000);
    expect(await loads.run("k", async () => "earlier")).toBe("earlier");
    const failing = loads.run("k", async () => {
      await new Promise((resolve) => setTimeout(resolve, 30));
      throw new Error("origin down");
    });
    const waiter = loads.run("k", async () => "own");
    await expect(failing).rejects.toThrow("origin down");
    expect(await waiter).toBe("own");
  });
});
