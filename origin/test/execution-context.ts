// Execution contexts that the test file waits on before it ends. Work a request or an RPC call
// leaves in waitUntil (the metrics recorder flushes a second later; cards and PDFs are stored
// after the answer) must finish inside the file that started it: the origin's test files share
// one isolate (vitest.config.ts), and a timer firing during the next file would do I/O on behalf
// of a context that has gone, which workerd refuses with an unhandled rejection.
import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";

const open: ExecutionContext[] = [];

/** A new execution context, waited on when the file ends (settle-contexts.ts). */
export function testContext(): ExecutionContext {
  const ctx = createExecutionContext();
  open.push(ctx);
  return ctx;
}

/** Waits for everything the file's contexts left in waitUntil; failures there are the tests' business, not this wait's. */
export async function settleContexts(): Promise<void> {
  await Promise.allSettled(open.splice(0).map((ctx) => waitOnExecutionContext(ctx)));
}
