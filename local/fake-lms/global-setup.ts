// Vitest globalSetup for the origin tests: starts the fake Canvas/Moodle server (server.ts) and
// provides its URL as `inject("fakeLmsUrl")`.
import type { TestProject } from "vitest/node";
import { startFakeLms } from "./server.ts";

declare module "vitest" {
  export interface ProvidedContext {
    fakeLmsUrl: string;
  }
}

export default async function setup(project: TestProject) {
  const lms = await startFakeLms();
  project.provide("fakeLmsUrl", lms.url);
  return () => lms.close();
}
