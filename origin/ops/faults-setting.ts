// The FAULT_INJECTION setting (origin/ops/faults.ts): "true" turns the fault-injection routes on.
// Only the drill's own local stack sets it; off by default and in production.
import * as z from "zod/mini";

export const faultInjectionSetting = z._default(
  z.pipe(
    z.enum(["true", "false"], { error: 'must be "true" or "false"' }),
    z.transform((raw: "true" | "false") => raw === "true"),
  ),
  false,
);
