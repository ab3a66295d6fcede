// Demo data for `npm start`: one org, achievement and credential, created idempotently.
// Filled in by the issuance work (origin API); until then there is nothing to seed.
import type { StackConfig } from "./config.ts";

export interface DemoSeed {
  orgSlug: string;
  apiKey: string;
  credentialId: string;
  verifyUrl: string;
}

/** Seeds the demo through the origin API and returns what the banner prints, or null when nothing is seeded. */
export async function seedDemo(_config: StackConfig): Promise<DemoSeed | null> {
  return null;
}
