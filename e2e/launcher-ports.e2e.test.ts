// A taken port makes `npm start` say which one and exit non-zero, instead of hanging.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { findFreePorts, stackEnv } from "./support/stack.ts";

describe("launcher", () => {
  it("names the taken port and exits non-zero", async () => {
    const ports = await findFreePorts();
    const blocker = net.createServer();
    await new Promise<void>((resolve) => blocker.listen(ports.origin, "127.0.0.1", resolve));
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "laurel-ports-"));
    try {
      const result = spawnSync(process.execPath, ["local/start.ts"], {
        env: stackEnv(ports, dataDir),
        encoding: "utf8",
        timeout: 30_000,
      });
      expect(result.status).toBe(1);
      expect(result.stdout).toContain(`Port ${ports.origin} (origin Worker, ORIGIN_PORT) is already in use`);
    } finally {
      blocker.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it("rejects a port setting that is not a number", () => {
    const result = spawnSync(process.execPath, ["local/start.ts"], {
      env: { ...process.env, EDGE_PORT: "eighty" },
      encoding: "utf8",
      timeout: 30_000,
    });
    expect(result.status).toBe(1);
    expect(result.stdout).toContain('EDGE_PORT must be a port number (1-65535), got \\"eighty\\"');
  });
});
