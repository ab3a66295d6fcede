// Setup file of the origin test project: each file waits, at its end, for the background work of
// the execution contexts it made (execution-context.ts says why).
import { afterAll } from "vitest";
import { settleContexts } from "./execution-context.ts";

afterAll(settleContexts, 30_000);
